import type { CodeGraph, CodeGraphEdge, FileDependency } from './code-graph.ts';
import type { FileFacts, ReferenceKind } from './file-facts.ts';
import type { ImportResolutionConfig } from './import-resolution-config.ts';
import { createDefinitionIndex } from './create-definition-index.ts';
import { createReferenceResolver } from './create-reference-resolver.ts';
import { createImportResolver } from './resolve-imports.ts';

/** The edges from one definition: target id → kind → edge. */
type EdgesByTarget = Map<string, Partial<Record<ReferenceKind, CodeGraphEdge>>>;

export interface BuildCodeGraphOptions {
  /** tsconfig paths, go.mod module paths, workspace packages (`readImportResolutionConfig`). */
  importConfig?: ImportResolutionConfig;
  /** A name matching more definitions than this, with nothing else to narrow it, produces no edge. */
  maxCandidates?: number;
}

/**
 * Resolve per-file facts into one graph: imports to repository files (or external packages), references to
 * definitions, inheritance. A reference is resolved through the most specific evidence available (imported
 * names, aliases, namespaces and re-exports; `this`/`self`/`super` to the enclosing class and its bases; a
 * receiver whose type is known from a class name, a `new`, a typed field or parameter; then the same file, the
 * same package or folder, the whole repository). Where several definitions remain, each gets an edge with
 * confidence 1/n.
 *
 * @example
 * const graph = buildCodeGraph(await store.loadFiles(repository), await store.revision(repository));
 * graph.incoming('src/order-service.ts#OrderService.place') // => [{ from: 'src/api.ts#handle', kind: 'call', ... }]
 */
export function buildCodeGraph(
  files: readonly FileFacts[],
  revision: number,
  options: BuildCodeGraphOptions = {},
): CodeGraph {
  const sortedFiles = [...files].sort((left, right) =>
    left.path < right.path ? -1 : left.path > right.path ? 1 : 0,
  );
  const index = createDefinitionIndex(sortedFiles);
  const resolveImport = createImportResolver(sortedFiles, options.importConfig);
  const resolver = createReferenceResolver({ files: sortedFiles, index, resolveImport, ...options });

  // Edges by source, then target, then kind: looked up with the ids as they are, where one concatenated key
  // per reference cost a string allocation and a hash for each of hundreds of thousands of references.
  const edges: CodeGraphEdge[] = [];
  const edgesByEnds = new Map<string, EdgesByTarget>();
  const edgesFrom = (from: string): EdgesByTarget => {
    let byTarget = edgesByEnds.get(from);
    if (byTarget === undefined) {
      byTarget = new Map();
      edgesByEnds.set(from, byTarget);
    }
    return byTarget;
  };
  const addEdge = (
    byTarget: EdgesByTarget,
    from: string,
    to: string,
    kind: ReferenceKind,
    confidence: number,
  ): void => {
    let byKind = byTarget.get(to);
    if (byKind === undefined) byTarget.set(to, (byKind = {}));
    const existing = byKind[kind];
    if (existing === undefined) {
      const edge: CodeGraphEdge = { from, to, kind, count: 1, confidence };
      byKind[kind] = edge;
      edges.push(edge);
    } else {
      existing.count += 1;
      existing.confidence = Math.max(existing.confidence, confidence);
    }
  };

  for (const file of sortedFiles) {
    const fileNode = `${file.path}#`;
    for (const reference of file.references) {
      const candidates = resolver.resolveReference(file, reference);
      if (candidates.length === 0) continue;
      const from = reference.enclosing ?? fileNode;
      const byTarget = edgesFrom(from);
      for (const candidate of candidates)
        addEdge(byTarget, from, candidate.id, reference.kind, 1 / candidates.length);
    }
  }
  // Inheritance from the declarations themselves; a reference of kind `inherit` already made the same edge.
  for (const definition of index.definitions.values()) {
    const bases = resolver.basesOf(definition);
    if (bases.length === 0) continue;
    const byTarget = edgesFrom(definition.id);
    for (const base of bases) {
      if (byTarget.get(base.id)?.inherit === undefined)
        addEdge(byTarget, definition.id, base.id, 'inherit', 1);
    }
  }

  const fileDependencies: FileDependency[] = [];
  const externalImports = new Map<string, string[]>();
  const referencedFiles = new Map<string, Set<string>>();
  for (const edge of edges) {
    const fromPath = edge.from.slice(0, edge.from.indexOf('#'));
    const toPath = edge.to.slice(0, edge.to.indexOf('#'));
    let targets = referencedFiles.get(fromPath);
    if (targets === undefined) referencedFiles.set(fromPath, (targets = new Set()));
    targets.add(toPath);
  }
  for (const file of sortedFiles) {
    const seen = new Set<string>();
    const external = new Set<string>();
    for (const fact of file.imports) {
      const resolved = resolver.importsOf(file).get(fact) ?? resolveImport(file, fact);
      if (resolved.external !== undefined) external.add(resolved.external);
      let targets = resolved.targets.filter((target) => target !== file.path);
      if (resolved.packageImport) {
        // A Go package or Java wildcard names a whole package; the files actually used are the dependency.
        const used = targets.filter((target) => referencedFiles.get(file.path)?.has(target));
        if (used.length > 0) targets = used;
      }
      for (const target of targets) {
        const key = `${target}\u0000${fact.specifier}`;
        if (seen.has(key)) continue;
        seen.add(key);
        fileDependencies.push({
          from: file.path,
          to: target,
          specifier: fact.specifier,
          typeOnly: fact.typeOnly,
        });
      }
    }
    if (external.size > 0) externalImports.set(file.path, [...external].sort());
  }

  const outgoing = new Map<string, CodeGraphEdge[]>();
  const incoming = new Map<string, CodeGraphEdge[]>();
  for (const edge of edges) {
    appendTo(outgoing, edge.from, edge);
    appendTo(incoming, edge.to, edge);
  }
  const none: readonly never[] = [];
  return {
    revision,
    files: new Map(sortedFiles.map((file) => [file.path, file])),
    definitions: index.definitions,
    edges,
    fileDependencies,
    externalImports,
    outgoing: (id) => outgoing.get(id) ?? none,
    incoming: (id) => incoming.get(id) ?? none,
    byName: (name) => index.byName.get(name) ?? none,
    children: (id) => index.children.get(id) ?? none,
  };
}

function appendTo(map: Map<string, CodeGraphEdge[]>, key: string, edge: CodeGraphEdge): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [edge]);
  else list.push(edge);
}
