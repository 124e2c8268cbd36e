import type { FileFacts, ImportFact } from './file-facts.ts';
import type { ImportResolver, ResolvedImport } from './resolve-imports.ts';

/** What a file's imports bring into scope, by local name. */
export interface FileScope {
  imports: Map<ImportFact, ResolvedImport>;
  /** Local name → the imported name and the files it comes from. */
  names: Map<string, { imported: string; targets: string[] }[]>;
  /** Local alias (or dotted module path) → the files of a namespace/module/package import. */
  namespaces: Map<string, string[]>;
  /** Files whose names are all visible here (`export *`, `from x import *`, Java wildcards, Go dot imports). */
  starTargets: string[];
}

/**
 * Resolve a file's imports and sort them into what each local name means: an imported definition, a
 * namespace (TypeScript `* as x`, a Python module, a Go package), or a star import.
 *
 * @example createFileScope(file, resolveImport, filesByPath).names.get('Orders') // => [{ imported: 'OrderService', targets: ['src/orders.ts'] }]
 */
export function createFileScope(
  file: FileFacts,
  resolveImport: ImportResolver,
  filesByPath: ReadonlyMap<string, FileFacts>,
): FileScope {
  const scope: FileScope = { imports: new Map(), names: new Map(), namespaces: new Map(), starTargets: [] };
  for (const fact of file.imports) {
    const resolved = resolveImport(file, fact);
    scope.imports.set(fact, resolved);
    const targets = resolved.targets;
    if (fact.names.length === 0) {
      const segments = fact.specifier.split(/[./]/);
      if (file.language === 'python') scope.namespaces.set(fact.specifier, targets);
      else if (file.language === 'go') {
        const packageName =
          filesByPath.get(targets[0] ?? '')?.packageName ?? segments.at(-1)?.replace(/^v\d+$/, '');
        if (packageName !== undefined) scope.namespaces.set(packageName, targets);
      } else if (file.language === 'java') {
        if (resolved.packageImport) scope.starTargets.push(...targets);
        else addName(scope, segments.at(-1) ?? fact.specifier, segments.at(-1) ?? fact.specifier, targets);
      }
      continue;
    }
    for (const name of fact.names) {
      if (name.local === '_') continue;
      if (name.imported === '*' && (name.local === '*' || name.local === '' || name.local === '.')) {
        scope.starTargets.push(...targets);
      } else if (name.imported === '*') {
        scope.namespaces.set(name.local, targets);
        // A Go package's name need not be the last segment of its path (`gopkg.in/yaml.v3` is `yaml`).
        const packageName =
          file.language === 'go' ? filesByPath.get(targets[0] ?? '')?.packageName : undefined;
        if (packageName !== undefined && !scope.namespaces.has(packageName))
          scope.namespaces.set(packageName, targets);
      } else if (name.local === '.') scope.starTargets.push(...targets);
      else {
        // `from shop import models` imports a module: `models.Order` then reads like a namespace.
        const submodule =
          file.language === 'python'
            ? targets.find(
                (target) =>
                  `/${target}`.endsWith(`/${name.imported}.py`) ||
                  `/${target}`.endsWith(`/${name.imported}/__init__.py`),
              )
            : undefined;
        if (submodule !== undefined) scope.namespaces.set(name.local, [submodule]);
        else addName(scope, name.local, name.imported, targets);
      }
    }
  }
  return scope;
}

function addName(scope: FileScope, local: string, imported: string, targets: string[]): void {
  const list = scope.names.get(local);
  if (list === undefined) scope.names.set(local, [{ imported, targets }]);
  else list.push({ imported, targets });
}
