import type { CodeGraph, GraphDefinition } from '../../code-graph/code-graph.ts';
import {
  compareText,
  defaultEdgeKindWeights,
  type DecompositionEdge,
  type DecompositionEdgeKind,
  type DecompositionGraph,
  type DecompositionUnit,
  type DecompositionUnitKind,
  type EdgeKindWeights,
  type TableUse,
} from './decomposition-graph.ts';

export interface DecompositionGraphOptions {
  /** Overrides of `defaultEdgeKindWeights`. */
  weights?: Partial<EdgeKindWeights> | undefined;
  /**
   * How repeated references between two units add up: `logarithmic` (default; 1 + ln n, so one chatty pair,
   * such as a route table calling `router.get` twenty times, does not outweigh many distinct dependencies) or
   * `linear` (ten calls weigh ten times one call).
   */
  countScaling?: 'linear' | 'logarithmic' | undefined;
  /** Keep test files (default false: tests reference everything and would glue services together). */
  includeTests?: boolean | undefined;
  /**
   * A table used by more units than this gets no pairwise edges (it is shared data, reported as such, and
   * n² edges would drown the code structure). Default 30.
   */
  maximumTableUsers?: number | undefined;
}

const unitKinds: ReadonlySet<string> = new Set(['class', 'interface', 'enum', 'function']);

/**
 * Folds a code graph into the unit-level graph that decomposition clusters: methods into their class,
 * nested functions into their outer function, and module-level code (top-level variables, type aliases,
 * statements) into one node per file, created only when that code references or is referenced by something.
 * Edge weight = kind weight × scaled Σ(count × confidence) (1 + ln by default); two units touching the same SQL table get a
 * `table` edge. Test files are left out.
 *
 * @example
 * const graph = decompositionGraphFromCodeGraph(codeGraph, { weights: { type: 0.2 } });
 * const result = decompose({ graph, services: { min: 3, max: 6 } });
 */
export function decompositionGraphFromCodeGraph(
  codeGraph: CodeGraph,
  options: DecompositionGraphOptions = {},
): DecompositionGraph {
  const weights: EdgeKindWeights = { ...defaultEdgeKindWeights, ...options.weights };
  const scale =
    options.countScaling !== 'linear'
      ? (count: number) => 1 + Math.log(Math.max(1, count))
      : (count: number) => count;
  const includeTests = options.includeTests ?? false;
  const maximumTableUsers = options.maximumTableUsers ?? 30;
  const warnings: string[] = [];

  const isExcludedPath = (path: string): boolean =>
    !includeTests && (codeGraph.files.get(path)?.isTest ?? false);

  const units = new Map<string, DecompositionUnit>();
  for (const definition of codeGraph.definitions.values()) {
    if (definition.parent !== undefined || !unitKinds.has(definition.kind) || isExcludedPath(definition.path))
      continue;
    units.set(definition.id, {
      id: definition.id,
      name: definition.name,
      kind: definition.kind as DecompositionUnitKind,
      path: definition.path,
    });
  }

  const unitCache = new Map<string, string | undefined>();
  /** The unit a definition id (or `path#`) belongs to; undefined for excluded files. */
  const unitOf = (id: string): string | undefined => {
    if (unitCache.has(id)) return unitCache.get(id);
    let result: string | undefined;
    const path = id.slice(0, id.indexOf('#'));
    if (!isExcludedPath(path)) {
      // The outermost unit-kind ancestor owns the definition; without one it is module-level code.
      let outermost: GraphDefinition | undefined;
      for (let current = codeGraph.definitions.get(id); current;) {
        if (unitKinds.has(current.kind)) outermost = current;
        current = current.parent === undefined ? undefined : codeGraph.definitions.get(current.parent);
      }
      result = outermost && units.has(outermost.id) ? outermost.id : `${path}#`;
    }
    unitCache.set(id, result);
    return result;
  };

  interface Accumulated {
    from: string;
    to: string;
    kind: DecompositionEdgeKind;
    count: number;
    effective: number;
    operations: Set<string>;
  }
  const accumulated = new Map<string, Accumulated>();
  for (const edge of codeGraph.edges) {
    const from = unitOf(edge.from);
    const to = unitOf(edge.to);
    if (from === undefined || to === undefined || from === to) continue;
    const key = `${from}\u0000${to}\u0000${edge.kind}`;
    let entry = accumulated.get(key);
    if (!entry) {
      entry = { from, to, kind: edge.kind, count: 0, effective: 0, operations: new Set() };
      accumulated.set(key, entry);
    }
    entry.count += edge.count;
    entry.effective += edge.count * edge.confidence;
    const target = codeGraph.definitions.get(edge.to);
    if (target && target.id !== to) entry.operations.add(target.qualifiedName);
  }

  const edges: DecompositionEdge[] = [];
  for (const entry of accumulated.values()) {
    ensureModuleUnit(units, entry.from);
    ensureModuleUnit(units, entry.to);
    const edge: DecompositionEdge = {
      from: entry.from,
      to: entry.to,
      kind: entry.kind,
      count: entry.count,
      weight: weights[entry.kind] * scale(entry.effective),
    };
    if (entry.operations.size > 0) edge.operations = [...entry.operations].sort();
    edges.push(edge);
  }

  const tableUses = collectTableUses(codeGraph, unitOf);
  for (const use of tableUses) ensureModuleUnit(units, use.unit);
  edges.push(...tableEdges(tableUses, weights.table, maximumTableUsers, warnings));

  edges.sort((left, right) =>
    left.from === right.from
      ? left.to === right.to
        ? compareText(left.kind, right.kind)
        : compareText(left.to, right.to)
      : compareText(left.from, right.from),
  );
  const sortedUnits = [...units.values()].sort((left, right) => compareText(left.id, right.id));
  return { units: sortedUnits, edges, tableUses, warnings };
}

function ensureModuleUnit(units: Map<string, DecompositionUnit>, id: string): void {
  if (units.has(id) || !id.endsWith('#')) return;
  const path = id.slice(0, -1);
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  units.set(id, { id, name: fileName.replace(/\.[^.]+$/, ''), kind: 'module', path });
}

function collectTableUses(codeGraph: CodeGraph, unitOf: (id: string) => string | undefined): TableUse[] {
  const byKey = new Map<string, TableUse>();
  for (const facts of codeGraph.files.values()) {
    for (const table of facts.tables) {
      const unit = unitOf(table.enclosing ?? `${facts.path}#`);
      if (unit === undefined) continue;
      const name = table.table.toLowerCase();
      const key = `${unit}\u0000${name}`;
      const use = byKey.get(key) ?? { unit, table: name, operations: [] };
      if (!use.operations.includes(table.operation)) use.operations.push(table.operation);
      byKey.set(key, use);
    }
  }
  return [...byKey.values()].sort((left, right) =>
    left.table === right.table ? compareText(left.unit, right.unit) : compareText(left.table, right.table),
  );
}

/**
 * One undirected edge per pair of units sharing a table, weighted so each user's table edges add up to one
 * table weight however many users the table has (a table shared by two units binds them more than one
 * shared by ten).
 */
function tableEdges(
  tableUses: readonly TableUse[],
  tableWeight: number,
  maximumTableUsers: number,
  warnings: string[],
): DecompositionEdge[] {
  const usersByTable = new Map<string, string[]>();
  for (const use of tableUses)
    usersByTable.set(use.table, [...(usersByTable.get(use.table) ?? []), use.unit]);
  const edges = new Map<string, DecompositionEdge>();
  for (const [table, users] of usersByTable) {
    if (users.length < 2) continue;
    if (users.length > maximumTableUsers) {
      warnings.push(
        `Table "${table}" is used by ${users.length} units (more than maximumTableUsers ${maximumTableUsers}); it is reported as shared data but does not link its users.`,
      );
      continue;
    }
    const weight = tableWeight / (users.length - 1);
    for (let first = 0; first < users.length; first += 1) {
      for (let second = first + 1; second < users.length; second += 1) {
        const [from, to] = [users[first]!, users[second]!].sort();
        const key = `${from}\u0000${to}`;
        const edge = edges.get(key) ?? { from: from!, to: to!, kind: 'table' as const, count: 0, weight: 0 };
        edge.count += 1;
        edge.weight += weight;
        edges.set(key, edge);
      }
    }
  }
  return [...edges.values()];
}
