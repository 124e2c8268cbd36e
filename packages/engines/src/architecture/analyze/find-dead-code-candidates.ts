import type { CodeGraph, GraphDefinition } from '../../code-graph/code-graph.ts';
import type { ImportFact } from '../../code-graph/file-facts.ts';
import type { DeadCodeCandidate } from './architecture-report.ts';

/** Files whose exports are a package's public surface (re-exports), not code to be used inside the repository. */
const indexFilePattern = /(^|\/)(index\.[cm]?[jt]sx?|__init__\.py|mod\.ts|main\.[cm]?[jt]sx?)$/;

/** Names the runtime calls without a visible reference: programs' mains, Go's init and tests, Python's dunders. */
const entryPointNamePattern = /^(main|__main__|init|Test[A-Z_]\w*|Benchmark\w*|Example\w*|Fuzz\w*)$/;

const nonCandidateKinds = new Set(['module', 'field', 'constructor', 'method']);

/** Definitions re-exported by an index file: the repository's public API, used from outside. */
function publicApiDefinitions(graph: CodeGraph): Set<string> {
  const publicNames = new Set<string>();
  for (const dependency of graph.fileDependencies) {
    if (!indexFilePattern.test(dependency.from)) continue;
    const reexports = graph.files
      .get(dependency.from)
      ?.imports.filter((fact) => fact.kind === 'reexport' && fact.specifier === dependency.specifier);
    for (const fact of reexports ?? [])
      for (const name of fact.names) publicNames.add(`${dependency.to}\0${name.imported}`);
  }
  return publicNames;
}

/** Whether an import statement of `importer` makes `definition` used (by name, or by namespace then name). */
function importUses(
  graph: CodeGraph,
  importer: string,
  fact: ImportFact,
  definition: GraphDefinition,
): boolean {
  for (const name of fact.names) {
    if (name.imported === definition.name) return true;
    if (name.imported === '*') {
      // A namespace import (`import * as orders`, a Go package, `from x import *`) uses what it references.
      const references = graph.files.get(importer)?.references ?? [];
      if (references.some((reference) => reference.name === definition.name)) return true;
    }
    if (name.imported === 'default' && /\bdefault\b/.test(definition.signature)) return true;
  }
  return false;
}

/**
 * Exported top-level definitions with no incoming edge (to them or to their members, from outside themselves)
 * and no importer naming them. Excluded as entry points: test files, index files and what they re-export
 * (public API), `main`/`init`/Go test functions, and decorated or annotated definitions (route handlers,
 * controllers, scheduled jobs, which frameworks call). Methods are left out: dynamic dispatch makes their
 * incoming edges too uncertain. These are candidates: reflection, dynamic imports and external consumers are
 * invisible here.
 *
 * @example findDeadCodeCandidates(graph).map((candidate) => candidate.name) // => ['unusedHelper']
 */
export function findDeadCodeCandidates(graph: CodeGraph): DeadCodeCandidate[] {
  const publicApi = publicApiDefinitions(graph);
  const importersOf = new Map<string, { importer: string; specifier: string }[]>();
  for (const dependency of graph.fileDependencies) {
    const list = importersOf.get(dependency.to) ?? [];
    list.push({ importer: dependency.from, specifier: dependency.specifier });
    importersOf.set(dependency.to, list);
  }
  const candidates: DeadCodeCandidate[] = [];
  for (const definition of graph.definitions.values()) {
    if (!definition.exported || definition.parent !== undefined || nonCandidateKinds.has(definition.kind))
      continue;
    const facts = graph.files.get(definition.path);
    if (facts === undefined || facts.isTest || indexFilePattern.test(definition.path)) continue;
    if (entryPointNamePattern.test(definition.name) || definition.decorators.length > 0) continue;
    if (publicApi.has(`${definition.path}\0${definition.name}`) || publicApi.has(`${definition.path}\0*`))
      continue;
    if (isReferenced(graph, definition)) continue;
    const imported = (importersOf.get(definition.path) ?? []).some(({ importer, specifier }) =>
      (graph.files.get(importer)?.imports ?? [])
        .filter((fact) => fact.specifier === specifier)
        .some((fact) => importUses(graph, importer, fact, definition)),
    );
    if (imported) continue;
    candidates.push({
      id: definition.id,
      name: definition.name,
      kind: definition.kind,
      file: definition.path,
      line: definition.range.line,
    });
  }
  return candidates.sort((left, right) => left.file.localeCompare(right.file) || left.line - right.line);
}

/** An incoming edge to the definition or one of its members, from code outside the definition itself. */
function isReferenced(graph: CodeGraph, definition: GraphDefinition): boolean {
  const inside = (id: string) => id === definition.id || id.startsWith(`${definition.id}.`);
  const targets = [definition, ...graph.children(definition.id)];
  return targets.some((target) => graph.incoming(target.id).some((edge) => !inside(edge.from)));
}
