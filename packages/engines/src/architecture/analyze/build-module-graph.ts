import type { CodeGraph } from '../../code-graph/code-graph.ts';
import { moduleImportSampleSize, type ModuleDependency, type ModuleImport } from './architecture-report.ts';

/** Modules (id → member files, sorted) and the dependencies between distinct modules. */
export interface ModuleGraph {
  modules: Map<string, string[]>;
  dependencies: ModuleDependency[];
  /** Every file-level import, with its line, in graph order (for layer rules). */
  imports: ModuleImport[];
}

/**
 * The line of the import statement behind a file dependency, matched by specifier (and by `import type`
 * when one file imports the same specifier both ways).
 */
function importLineOf(graph: CodeGraph, from: string, specifier: string, typeOnly: boolean): number | null {
  const imports = graph.files.get(from)?.imports ?? [];
  const candidates = imports.filter((fact) => fact.specifier === specifier);
  return (candidates.find((fact) => fact.typeOnly === typeOnly) ?? candidates[0])?.line ?? null;
}

/**
 * Aggregate `graph.fileDependencies` to modules: one dependency per ordered pair of distinct modules, weighted
 * by the imports behind it; type-only imports are kept and marked (a dependency is type-only when all of its
 * imports are). Imports inside one module are not dependencies of the module.
 *
 * @example buildModuleGraph(graph, folderOf).dependencies[0] // => { from: 'src/ui', to: 'src/db', weight: 2, ... }
 */
export function buildModuleGraph(graph: CodeGraph, moduleOf: (file: string) => string): ModuleGraph {
  const modules = new Map<string, string[]>();
  const addFile = (file: string): string => {
    const id = moduleOf(file);
    const members = modules.get(id);
    if (members === undefined) modules.set(id, [file]);
    else if (!members.includes(file)) members.push(file);
    return id;
  };
  for (const file of graph.files.keys()) addFile(file);

  const imports: ModuleImport[] = [];
  const byPair = new Map<string, ModuleDependency>();
  const seenImports = new Set<string>();
  for (const dependency of graph.fileDependencies) {
    const key = `${dependency.from}\0${dependency.to}\0${dependency.specifier}\0${dependency.typeOnly}`;
    if (seenImports.has(key)) continue;
    seenImports.add(key);
    const moduleImport: ModuleImport = {
      from: dependency.from,
      to: dependency.to,
      specifier: dependency.specifier,
      line: importLineOf(graph, dependency.from, dependency.specifier, dependency.typeOnly),
      typeOnly: dependency.typeOnly,
    };
    imports.push(moduleImport);
    const fromModule = addFile(dependency.from);
    const toModule = addFile(dependency.to);
    // A file importing itself is a (degenerate) cycle; a folder's internal imports are not a dependency.
    if (fromModule === toModule && dependency.from !== dependency.to) continue;
    const pair = `${fromModule}\0${toModule}`;
    let moduleDependency = byPair.get(pair);
    if (moduleDependency === undefined) {
      moduleDependency = {
        from: fromModule,
        to: toModule,
        weight: 0,
        typeOnly: true,
        inCycle: false,
        imports: [],
      };
      byPair.set(pair, moduleDependency);
    }
    moduleDependency.weight++;
    moduleDependency.typeOnly &&= dependency.typeOnly;
    if (moduleDependency.imports.length < moduleImportSampleSize) moduleDependency.imports.push(moduleImport);
  }
  for (const members of modules.values()) members.sort();
  const dependencies = [...byPair.values()].sort(
    (left, right) => left.from.localeCompare(right.from) || left.to.localeCompare(right.to),
  );
  return { modules, dependencies, imports };
}
