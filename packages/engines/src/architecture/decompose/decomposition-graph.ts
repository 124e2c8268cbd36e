import type { ReferenceKind } from '../../code-graph/file-facts.ts';

/**
 * The graph that service decomposition clusters: one node per unit a service could own (a top-level class,
 * interface, enum or function, or a file's module-level code), edges weighted by how strongly two units
 * depend on each other. Plain data, so tests and runtime traces can build or extend one without a code graph.
 */

/** What a unit is: the kind of its top-level definition, or `module` for a file's module-level code. */
export type DecompositionUnitKind = 'class' | 'interface' | 'enum' | 'function' | 'module';

export interface DecompositionUnit {
  /** The definition id (`path#Name`), or `path#` for module-level code. */
  id: string;
  name: string;
  kind: DecompositionUnitKind;
  /** Repository-relative path of the file it is in. */
  path: string;
}

/** Code reference kinds, `trace` for runtime calls, `table` for two units touching the same SQL table. */
export type DecompositionEdgeKind = ReferenceKind | 'trace' | 'table';

export interface DecompositionEdge {
  /** Unit ids. Table edges are undirected and stored with `from < to`. */
  from: string;
  to: string;
  kind: DecompositionEdgeKind;
  /** How many references (or traced calls) collapsed into this edge. */
  count: number;
  /** Clustering strength: kind weight × count (scaled) × resolution confidence. */
  weight: number;
  /** Qualified names of the definitions reached inside `to` (`OrderService.place`), when known. */
  operations?: string[];
}

/** A unit reading or writing an SQL table named in a string literal. */
export interface TableUse {
  unit: string;
  table: string;
  operations: string[];
}

export interface DecompositionGraph {
  units: DecompositionUnit[];
  edges: DecompositionEdge[];
  tableUses: TableUse[];
  warnings: string[];
}

/** Weight per edge kind; references that matter most at run time (calls, inheritance) count most. */
export type EdgeKindWeights = Record<DecompositionEdgeKind, number>;

/**
 * Calls, instantiation and inheritance bind units into one deployable; type mentions and reads are weaker
 * evidence (an interface can cross a service boundary as a DTO), decorators weakest. Runtime traces count as
 * calls. A shared table ties its users like one call each.
 */
export const defaultEdgeKindWeights: EdgeKindWeights = {
  call: 1,
  new: 1,
  inherit: 1.5,
  type: 0.4,
  read: 0.5,
  decorator: 0.1,
  trace: 1,
  table: 1,
};

/** The kinds that are code dependencies (what a refactor must turn into API calls when cut). */
export function isCodeDependency(kind: DecompositionEdgeKind): boolean {
  return kind !== 'table';
}

/**
 * Undirected, symmetric strength between units (all edge kinds summed), the input of the clustering methods.
 *
 * @example
 * const adjacency = undirectedAdjacency(graph);
 * adjacency.get('a.ts#A')?.get('b.ts#B'); // 3
 */
export function undirectedAdjacency(
  graph: Pick<DecompositionGraph, 'units' | 'edges'>,
  exclude: ReadonlySet<string> = new Set(),
): Map<string, Map<string, number>> {
  const adjacency = new Map<string, Map<string, number>>();
  for (const unit of graph.units) if (!exclude.has(unit.id)) adjacency.set(unit.id, new Map());
  for (const edge of graph.edges) {
    if (edge.from === edge.to || edge.weight <= 0) continue;
    const fromNeighbours = adjacency.get(edge.from);
    const toNeighbours = adjacency.get(edge.to);
    if (!fromNeighbours || !toNeighbours) continue;
    fromNeighbours.set(edge.to, (fromNeighbours.get(edge.to) ?? 0) + edge.weight);
    toNeighbours.set(edge.from, (toNeighbours.get(edge.from) ?? 0) + edge.weight);
  }
  return adjacency;
}

/**
 * Code-point order: the same on every machine and locale, unlike `localeCompare`, so output order is stable.
 *
 * @example
 * ['b', 'B', 'a'].sort(compareText); // ['B', 'a', 'b']
 */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
