import type { GraphDefinition } from './code-graph.ts';
import { packageKeyOf, type DefinitionIndex } from './create-definition-index.ts';
import { createFileScope, type FileScope } from './create-file-scope.ts';
import { conventionalTypeNames, declaredTypeNames } from './declared-type-names.ts';
import type { DefinitionKind, FileFacts, ImportFact, ReferenceFact, ReferenceKind } from './file-facts.ts';
import type { ImportResolver, ResolvedImport } from './resolve-imports.ts';

export interface ReferenceResolver {
  /** The definitions a reference may mean, most specific evidence first; empty when unknown. */
  resolveReference(file: FileFacts, reference: ReferenceFact): GraphDefinition[];
  /** The resolved base classes and interfaces of a definition. */
  basesOf(definition: GraphDefinition): GraphDefinition[];
  /** Each import of a file with its resolution (computed once). */
  importsOf(file: FileFacts): Map<ImportFact, ResolvedImport>;
}

const classKinds = new Set<DefinitionKind>(['class', 'interface', 'enum', 'type']);
const compatibleKinds: Record<ReferenceKind, Set<DefinitionKind> | undefined> = {
  call: new Set(['function', 'method', 'constructor', 'class', 'variable', 'field']),
  new: new Set(['class', 'function', 'constructor']),
  type: classKinds,
  inherit: new Set(['class', 'interface', 'type']),
  decorator: new Set(['function', 'class', 'variable', 'method']),
  read: undefined,
};
const maxReexportDepth = 6;
/** Objects every runtime provides (`Math.max` is not the repository's `max`), checked after the repository's own names. */
const libraryGlobals = new Set(
  (
    'Math JSON Object Array Number String Boolean Date Promise Reflect Symbol BigInt Intl console process ' +
    'Buffer globalThis window document navigator performance crypto URL Error RegExp Map Set WeakMap ' +
    'System Arrays Collections Objects Optional Integer Long Double List Stream Files Paths ' +
    'os sys json re math time datetime logging fmt strings strconv errors http'
  ).split(' '),
);
/** Methods of the standard collections, strings, promises and streams of the supported languages. */
const commonLibraryMethods = new Set(
  (
    'get set has add delete clear push pop shift unshift slice splice map filter reduce forEach find some every ' +
    'includes indexOf join split concat sort reverse keys values entries then catch finally toString valueOf ' +
    'trim replace match test exec startsWith endsWith append extend insert remove update items copy format ' +
    'strip lower upper put size length equals hashCode compareTo isEmpty contains stream collect close ' +
    'write read send emit on once off next call apply bind'
  ).split(' '),
);

/**
 * Resolves references and base classes to definitions, with per-file import scopes built lazily and memoised.
 *
 * @example createReferenceResolver({ files, index, resolveImport }).resolveReference(file, reference) // => [definition]
 */
export function createReferenceResolver(context: {
  files: readonly FileFacts[];
  index: DefinitionIndex;
  resolveImport: ImportResolver;
  maxCandidates?: number;
}): ReferenceResolver {
  const { index, resolveImport } = context;
  const maxCandidates = context.maxCandidates ?? 10;
  const filesByPath = new Map(context.files.map((file) => [file.path, file]));
  const scopes = new Map<string, FileScope>();
  const exportedMemo = new Map<string, GraphDefinition[]>();
  const basesMemo = new Map<string, GraphDefinition[]>();
  const none: GraphDefinition[] = [];

  // Most unimported names fall through to the package: its table is found once per file, not per reference.
  const packageNamesMemo = new Map<string, Map<string, GraphDefinition[]> | undefined>();
  const packageNamesOf = (file: FileFacts): Map<string, GraphDefinition[]> | undefined => {
    if (packageNamesMemo.has(file.path)) return packageNamesMemo.get(file.path);
    const names = index.packages.get(packageKeyOf(file));
    packageNamesMemo.set(file.path, names);
    return names;
  };

  const scopeOf = (file: FileFacts): FileScope => {
    let scope = scopes.get(file.path);
    if (scope === undefined) {
      scope = createFileScope(file, resolveImport, filesByPath);
      scopes.set(file.path, scope);
    }
    return scope;
  };

  /** What `name` means when imported from `target`: its own definition, or one it re-exports. */
  const exportedFrom = (target: string, name: string, depth = 0): GraphDefinition[] => {
    const key = `${target}\u0000${name}`;
    const cached = exportedMemo.get(key);
    if (cached !== undefined) return cached;
    exportedMemo.set(key, none); // cycles of re-exports end here
    let found = index.topLevel.get(target)?.get(name) ?? none;
    const file = filesByPath.get(target);
    if (found.length === 0 && name === 'default') {
      const exported = [...(index.topLevel.get(target)?.values() ?? [])]
        .flat()
        .filter((item) => item.exported);
      if (exported.length === 1) found = exported;
    }
    if (found.length === 0 && file?.language === 'java') {
      // A static import names a member of the file's class.
      found = [...(index.topLevel.get(target)?.values() ?? [])]
        .flat()
        .flatMap((type) => index.members.get(type.id)?.get(name) ?? none);
    }
    if (found.length === 0 && file !== undefined && depth < maxReexportDepth) {
      const scope = scopeOf(file);
      const reexported = (scope.names.get(name) ?? []).flatMap((entry) =>
        entry.targets.flatMap((next) => exportedFrom(next, entry.imported, depth + 1)),
      );
      found =
        reexported.length > 0
          ? reexported
          : scope.starTargets.flatMap((next) => exportedFrom(next, name, depth + 1));
    }
    found = unique(found);
    exportedMemo.set(key, found);
    return found;
  };

  // Hundreds of references share an enclosing definition: its chain is walked once.
  const ancestorsMemo = new Map<string, readonly GraphDefinition[]>();
  const ancestors = (id: string | undefined): readonly GraphDefinition[] => {
    if (id === undefined) return none;
    let chain = ancestorsMemo.get(id);
    if (chain === undefined) {
      const found: GraphDefinition[] = [];
      for (let current = index.definitions.get(id); current !== undefined;) {
        found.push(current);
        current = current.parent === undefined ? undefined : index.definitions.get(current.parent);
      }
      chain = found;
      ancestorsMemo.set(id, chain);
    }
    return chain;
  };
  const enclosingClass = (id: string | undefined): GraphDefinition | undefined =>
    ancestors(id).find((definition) => classKinds.has(definition.kind));

  /** A member of a class or of its nearest base that declares it. */
  const memberOf = (type: GraphDefinition, name: string): GraphDefinition[] => {
    const queue = [type];
    const seen = new Set<string>();
    for (let level = 0; queue.length > 0 && level < 20; level += 1) {
      const next: GraphDefinition[] = [];
      const found: GraphDefinition[] = [];
      for (const current of queue) {
        if (seen.has(current.id)) continue;
        seen.add(current.id);
        found.push(...(index.members.get(current.id)?.get(name) ?? none));
        next.push(...basesOf(current));
      }
      if (found.length > 0) return unique(found);
      queue.splice(0, queue.length, ...next);
    }
    return none;
  };

  /** Repository-wide candidates by name, filtered once per (name, kind, members or not) and memoised. */
  const globalMemo = new Map<string, GraphDefinition[]>();
  const globalCandidates = (name: string, kind: ReferenceKind, members: boolean): GraphDefinition[] => {
    const key = `${members ? 'm' : 't'}${kind}\u0000${name}`;
    let found = globalMemo.get(key);
    if (found === undefined) {
      const kinds = compatibleKinds[kind];
      found = (index.byName.get(name) ?? none).filter(
        (item) =>
          (members ? item.parent !== undefined : item.parent === undefined && item.exported) &&
          (kinds === undefined || kinds.has(item.kind)),
      );
      // Too many same-named definitions say nothing about which one is meant.
      if (found.length > maxCandidates) found = none;
      globalMemo.set(key, found);
    }
    return found;
  };

  const resolveName = (
    file: FileFacts,
    name: string,
    kind: ReferenceKind,
    enclosing?: string,
  ): GraphDefinition[] => {
    const kinds = compatibleKinds[kind];
    const fits = (definitions: GraphDefinition[]): GraphDefinition[] =>
      definitions.length === 0
        ? none
        : unique(
            kinds === undefined || definitions.every((definition) => kinds.has(definition.kind))
              ? definitions
              : definitions.filter((definition) => kinds.has(definition.kind)),
          );
    const scope = scopeOf(file);
    const imported = scope.names.get(name);
    if (imported !== undefined) {
      // An imported name means what the import says, even when that is outside the repository.
      return fits(
        imported.flatMap((entry) =>
          entry.targets.flatMap((target) => {
            const found = exportedFrom(target, entry.imported);
            // A default import is usually named after what the module exports.
            return found.length === 0 && entry.imported === 'default' ? exportedFrom(target, name) : found;
          }),
        ),
      );
    }
    if (enclosing !== undefined) {
      // Nested functions see their outer functions' locals; Java reaches its class's members without `this.`.
      const chain = ancestors(enclosing);
      let locals: GraphDefinition[] = none;
      for (const definition of chain) {
        if (classKinds.has(definition.kind)) continue;
        const found = index.members.get(definition.id)?.get(name);
        if (found !== undefined) locals = locals === none ? found : [...locals, ...found];
      }
      const local = fits(locals);
      if (local.length > 0) return local;
      const type =
        file.language === 'java' ? chain.find((definition) => classKinds.has(definition.kind)) : undefined;
      const member = type === undefined ? none : fits(memberOf(type, name));
      if (member.length > 0) return member;
    }
    const sameFile = fits(index.topLevel.get(file.path)?.get(name) ?? none);
    if (sameFile.length > 0) return sameFile;
    if (scope.starTargets.length > 0) {
      const starred = fits(scope.starTargets.flatMap((target) => exportedFrom(target, name)));
      if (starred.length > 0) return starred;
    }
    const samePackage = fits(packageNamesOf(file)?.get(name) ?? none);
    if (samePackage.length > 0) return samePackage;
    return globalCandidates(name, kind, false);
  };

  const membersOfTypes = (
    file: FileFacts,
    typeNames: readonly string[],
    name: string,
    enclosing?: string,
  ): GraphDefinition[] => {
    for (const typeName of typeNames) {
      const members = resolveName(file, typeName, 'type', enclosing).flatMap((type) => memberOf(type, name));
      if (members.length > 0) return unique(members);
    }
    return none;
  };

  const resolveMember = (file: FileFacts, reference: ReferenceFact, receiver: string): GraphDefinition[] => {
    const { name, enclosing } = reference;
    const type = enclosingClass(enclosing);
    if (receiver === 'this' || receiver === 'self' || receiver === 'cls') {
      if (type !== undefined) return memberOf(type, name);
    } else if (/^super\b/.test(receiver)) {
      if (type !== undefined) return unique(basesOf(type).flatMap((base) => memberOf(base, name)));
    }
    const field = /^(?:this|self)\.(\w+)$/.exec(receiver)?.[1];
    if (field !== undefined && type !== undefined) {
      const fields = memberOf(type, field);
      const declarations = [...fields, ...memberOf(type, 'constructor'), ...memberOf(type, '__init__')];
      const typeNames = [
        ...declarations.flatMap((declaration) => declaredTypeNames(declaration.signature, field)),
        ...fields.flatMap((declaration) => typesUsedBy(declaration)),
      ];
      return membersOfTypes(file, [...typeNames, ...conventionalTypeNames(field)], name, enclosing);
    }
    const namespace = scopeOf(file).namespaces.get(receiver);
    if (namespace !== undefined) return unique(namespace.flatMap((target) => exportedFrom(target, name)));
    // Receivers arrive with whitespace removed, so `new Store()` may read `newStore()`.
    const constructed = /^([A-Za-z_$][\w$.]*)\s*(?:<[^>]*>)?\(.*\)$/s.exec(
      receiver.replace(/^new\s+/, ''),
    )?.[1];
    if (constructed !== undefined) {
      const typeName = constructed.split('.').at(-1) ?? constructed;
      const withoutNew = /^new[A-Z_$]/.test(typeName) ? [typeName.slice(3)] : [];
      return membersOfTypes(file, [...withoutNew, typeName], name, enclosing);
    }
    const variable = receiver.split('.').at(-1) ?? receiver;
    const imported = scopeOf(file).names.get(receiver);
    if (imported !== undefined && imported.every((entry) => entry.targets.length === 0)) return none;
    if (/^[A-Za-z_$][\w$]*$/.test(variable)) {
      const asType = membersOfTypes(file, [variable], name, enclosing);
      if (asType.length > 0) return asType;
      const declarations = [...ancestors(enclosing)];
      if (type !== undefined) declarations.push(...memberOf(type, variable));
      const typeNames = declarations.flatMap((declaration) =>
        declaredTypeNames(declaration.signature, variable),
      );
      const typed = membersOfTypes(file, [...typeNames, ...conventionalTypeNames(variable)], name, enclosing);
      if (typed.length > 0) return typed;
    }
    // `cache.get(key)` on a receiver of unknown type is far more often a library collection than the
    // repository's own `get`: such names are not guessed.
    if (commonLibraryMethods.has(name) || libraryGlobals.has(receiver.split('.')[0] ?? receiver)) return none;
    return globalCandidates(name, reference.kind, true);
  };

  /** Types a definition's own references name (`left = new Store()` gives `Store`): a field's likely type. */
  const typesUsedByMemo = new Map<string, Map<string, string[]>>();
  const typesUsedBy = (definition: GraphDefinition): string[] => {
    let byEnclosing = typesUsedByMemo.get(definition.path);
    if (byEnclosing === undefined) {
      byEnclosing = new Map();
      typesUsedByMemo.set(definition.path, byEnclosing);
      for (const reference of filesByPath.get(definition.path)?.references ?? []) {
        if (reference.enclosing === undefined || (reference.kind !== 'new' && reference.kind !== 'type'))
          continue;
        const list = byEnclosing.get(reference.enclosing);
        if (list === undefined) byEnclosing.set(reference.enclosing, [reference.name]);
        else list.push(reference.name);
      }
    }
    return byEnclosing.get(definition.id) ?? [];
  };

  const basesOf = (definition: GraphDefinition): GraphDefinition[] => {
    const cached = basesMemo.get(definition.id);
    if (cached !== undefined) return cached;
    basesMemo.set(definition.id, none);
    const file = filesByPath.get(definition.path);
    const bases: GraphDefinition[] = [];
    for (const written of [...definition.extends, ...definition.implements]) {
      if (file === undefined || written.includes('=')) continue;
      const bare = written.replace(/<.*$/s, '').replace(/\(.*$/s, '').trim();
      const dot = bare.lastIndexOf('.');
      const candidates =
        dot === -1
          ? resolveName(file, bare, 'inherit', definition.parent)
          : resolveMember(
              file,
              { name: bare.slice(dot + 1), kind: 'inherit', line: 0, column: 0 },
              bare.slice(0, dot),
            );
      bases.push(
        ...candidates.filter((candidate) => candidate.id !== definition.id && classKinds.has(candidate.kind)),
      );
    }
    const result = unique(bases);
    basesMemo.set(definition.id, result);
    return result;
  };

  return {
    resolveReference: (file, reference) => {
      const receiver = reference.receiver
        ?.replace(/\s+/g, ' ')
        .replace(/[?!]+$/, '')
        .replace(/\?\./g, '.');
      return receiver === undefined || receiver === ''
        ? resolveName(file, reference.name, reference.kind, reference.enclosing)
        : resolveMember(file, reference, receiver);
    },
    basesOf,
    importsOf: (file) => scopeOf(file).imports,
  };
}

/** Without repeated ids. The result may be the argument itself: callers only read the lists they get. */
function unique(definitions: GraphDefinition[]): GraphDefinition[] {
  if (definitions.length < 2) return definitions;
  return [...new Map(definitions.map((definition) => [definition.id, definition])).values()];
}
