/**
 * The JSON-able result of `analyzeArchitecture`: the module dependency graph at one level with per-module
 * metrics, its cycles, layer-rule violations, hotspots and dead-code candidates.
 */

/** What a module is: one file, one folder (directory), or one package (manifest folder or language package). */
export type ModuleLevel = 'file' | 'folder' | 'package';

/** One resolved import statement behind a module dependency. */
export interface ModuleImport {
  from: string;
  to: string;
  specifier: string;
  /** 1-based line of the import in `from`; null when the facts no longer hold the statement. */
  line: number | null;
  typeOnly: boolean;
}

/** A dependency between two modules, aggregated from file dependencies. */
export interface ModuleDependency {
  from: string;
  to: string;
  /** How many file-to-file imports it aggregates. */
  weight: number;
  /** Every import behind it is type-only (`import type`): a compile-time dependency only. */
  typeOnly: boolean;
  /** Inside a cycle (both ends in the same strongly connected component). */
  inCycle: boolean;
  /** The first imports behind it (at most {@link moduleImportSampleSize}), for citing file:line. */
  imports: ModuleImport[];
}

export const moduleImportSampleSize = 10;

/** Robert C. Martin's package metrics for one module. */
export interface ModuleMetrics {
  /** Afferent coupling: how many other modules depend on this one. */
  fanIn: number;
  /** Efferent coupling: how many other modules this one depends on. */
  fanOut: number;
  /** Ce / (Ca + Ce); null for an isolated module (no dependencies either way). */
  instability: number | null;
  /** Abstract types / all types; null when the module has no types or its language has no abstract types. */
  abstractness: number | null;
  /** |A + I − 1|; null when either is null. */
  distance: number | null;
  abstractTypes: number;
  types: number;
}

export interface ArchitectureModule extends ModuleMetrics {
  id: string;
  files: string[];
}

/** A strongly connected component of two or more modules (or one module importing itself). */
export interface DependencyCycle {
  modules: string[];
  /** Every dependency between members of the cycle. */
  edges: { from: string; to: string; weight: number }[];
  /**
   * A minimal set of edges whose removal makes the component acyclic: edges are kept run-time before type-only and
   * heaviest first unless they would close a cycle, so the lighter (and type-only) imports are the ones proposed for cutting. Each closing edge alone closes
   * a cycle; the set is not guaranteed minimum (that problem is NP-hard). Components with more than 5,000
   * internal edges use the back edges of one depth-first search instead.
   */
  closingEdges: { from: string; to: string; weight: number; imports: ModuleImport[] }[];
}

/** An import crossing a forbidden layer boundary (`ui -> db`). */
export interface LayerViolation {
  rule: string;
  fromLayer: string;
  toLayer: string;
  file: string;
  line: number | null;
  target: string;
  specifier: string;
  typeOnly: boolean;
}

/** A file that is both complex and often changed: where defects and effort concentrate. */
export interface Hotspot {
  file: string;
  /** Sum of the cyclomatic complexity of the file's definitions. */
  complexity: number;
  /** Commits touching the file in the churn window. */
  churn: number;
  score: number;
}

/** An exported definition nothing in the repository appears to use. A candidate: reflection, dynamic imports
 * and external consumers are invisible to the graph. */
export interface DeadCodeCandidate {
  id: string;
  name: string;
  kind: string;
  file: string;
  line: number;
}

export interface ArchitectureReport {
  level: ModuleLevel;
  summary: {
    files: number;
    modules: number;
    dependencies: number;
    cycles: number;
    layerViolations: number;
    hotspots: number;
    deadCodeCandidates: number;
  };
  modules: ArchitectureModule[];
  dependencies: ModuleDependency[];
  cycles: DependencyCycle[];
  layerViolations: LayerViolation[];
  /** Null when churn was not measured (no root, not a git repository, or `gitChurn: false`). */
  hotspots: Hotspot[] | null;
  /** Label for readers of the JSON: these are candidates, to be confirmed by a person. */
  deadCodeCandidatesNote: string;
  deadCodeCandidates: DeadCodeCandidate[];
  warnings: string[];
}
