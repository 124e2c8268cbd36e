import { PlumbError } from '@plumb/protocol';
import { decompositionMetrics, type DecompositionMetrics } from './decomposition-metrics.ts';
import {
  compareText,
  isCodeDependency,
  undirectedAdjacency,
  type DecompositionEdgeKind,
  type DecompositionGraph,
} from './decomposition-graph.ts';
import {
  omnipresentUnits,
  settleSharedUnits,
  type SharedUnit,
  type SharedUnitOptions,
} from './find-shared-units.ts';
import { normalizeCommunities, type Communities } from './louvain-communities.ts';
import { nameServices } from './name-services.ts';
import { partitionUnits } from './partition-units.ts';

export interface DecomposeOptions {
  graph: DecompositionGraph;
  /** Exactly this many services, or a range. */
  services: number | { min: number; max: number };
  /** Louvain resolution to start the search from (default 1). */
  resolution?: number | undefined;
  /** Seed of Louvain's random node order (default 1): same seed, same services. */
  seed?: number | undefined;
  /** `louvain` (default): community detection; `hierarchical`: average-linkage agglomerative, cut to K. */
  method?: 'louvain' | 'hierarchical' | undefined;
  /** Unit id → business context, for the BCP metric. */
  businessContexts?: Record<string, string> | undefined;
  /** Shared-kernel detection (default on); `false` forces every unit into a service. */
  sharedUnits?: false | SharedUnitOptions | undefined;
  /** Louvain communities of at most this many units are merged into their closest neighbour (default 2). */
  tinyCommunitySize?: number | undefined;
  /** Inclusive size bounds of the NED metric (default [5, 20]). */
  nedBounds?: readonly [number, number] | undefined;
}

export interface ServiceCall {
  from: string;
  kind: DecompositionEdgeKind;
  count: number;
}

export interface PublicInterfaceEntry {
  /** A member other services depend on. */
  unit: string;
  /** Its members they reach (`OrderService.place`), when known. */
  operations: string[];
  calls: ServiceCall[];
}

export interface ProposedService {
  name: string;
  members: string[];
  publicInterface: PublicInterfaceEntry[];
  tables: { owned: string[]; shared: string[] };
}

/** A dependency crossing service boundaries: what a refactor turns into an API call (or event). */
export interface CutEdge {
  from: string;
  to: string;
  kind: DecompositionEdgeKind;
  count: number;
  fromService: string;
  toService: string;
}

export interface DecompositionResult {
  method: 'louvain' | 'hierarchical';
  resolution?: number;
  services: ProposedService[];
  cutEdges: CutEdge[];
  /** Shared-kernel candidates, in no service. */
  shared: SharedUnit[];
  /** Tables used by more than one service (or by a shared unit and a service). */
  sharedTables: { table: string; services: string[] }[];
  /** Unit id → service name (shared units absent). */
  assignment: Record<string, string>;
  metrics: DecompositionMetrics;
  warnings: string[];
}

/**
 * Proposes services for a monolith: clusters the unit graph (Louvain with a resolution search, or
 * hierarchical clustering), sets the shared kernel aside, names the services, lists their public interfaces,
 * tables and the cut edges, and reports SM, ICP, IFN, NED (and BCP given business contexts).
 *
 * @example
 * const result = decompose({ graph, services: { min: 3, max: 6 }, seed: 7 });
 * result.services.map((service) => service.name); // ['orders', 'billing', 'catalog']
 */
export function decompose(options: DecomposeOptions): DecompositionResult {
  const { graph } = options;
  const [minimum, maximum] = serviceRange(options.services);
  const method = options.method ?? 'louvain';
  const units = new Map(graph.units.map((unit) => [unit.id, unit]));
  const pathOf = (id: string): string => units.get(id)?.path ?? id.slice(0, Math.max(0, id.indexOf('#')));
  const warnings = [...graph.warnings];
  if (units.size < minimum)
    warnings.push(`The graph has ${units.size} unit(s), fewer than the ${minimum} services requested.`);

  const run = (exclude: ReadonlySet<string>) =>
    partitionUnits({
      adjacency: undirectedAdjacency(graph, exclude),
      edges: graph.edges,
      minimum,
      maximum,
      method,
      resolution: options.resolution ?? 1,
      seed: options.seed ?? 1,
      tinySize: options.tinyCommunitySize ?? 2,
      hasBehaviour: (id) => {
        const kind = units.get(id)?.kind;
        return kind === 'class' || kind === 'function';
      },
      pathOf,
    });
  let partition;
  let communities: Communities;
  let shared: SharedUnit[] = [];
  if (options.sharedUnits === false) {
    partition = run(new Set());
    communities = partition.communities;
  } else {
    const { suppliers, clients } = omnipresentUnits(
      graph.edges,
      [...units.keys()],
      options.sharedUnits ?? {},
    );
    partition = run(new Set(suppliers));
    const candidates = [...suppliers, ...clients];
    const candidateSet = new Set(candidates);
    const placed = partition.communities.map((members) =>
      members.filter((member) => !candidateSet.has(member)),
    );
    const settled = settleSharedUnits(candidates, graph.edges, placed, options.sharedUnits ?? {});
    shared = settled.shared;
    communities = normalizeCommunities(
      placed.map((members, index) => [
        ...members,
        ...[...settled.joins].filter(([, community]) => community === index).map(([unit]) => unit),
      ]),
    );
  }
  warnings.push(...partition.warnings);

  const names = nameServices(communities, units);
  const assignment: Record<string, string> = {};
  communities.forEach((members, index) => {
    for (const member of members) assignment[member] = names[index]!;
  });

  const cutEdges: CutEdge[] = [];
  const interfaces = new Map<string, { operations: Set<string>; calls: ServiceCall[] }>();
  for (const edge of graph.edges) {
    if (!isCodeDependency(edge.kind)) continue;
    const fromService = assignment[edge.from];
    const toService = assignment[edge.to];
    if (fromService === undefined || toService === undefined || fromService === toService) continue;
    cutEdges.push({
      from: edge.from,
      to: edge.to,
      kind: edge.kind,
      count: edge.count,
      fromService,
      toService,
    });
    const entry = interfaces.get(edge.to) ?? { operations: new Set<string>(), calls: [] };
    for (const operation of edge.operations ?? []) entry.operations.add(operation);
    entry.calls.push({ from: edge.from, kind: edge.kind, count: edge.count });
    interfaces.set(edge.to, entry);
  }

  const { ownedTables, sharedTables } = classifyTables(
    graph,
    assignment,
    new Set(shared.map((entry) => entry.unit)),
  );
  const services: ProposedService[] = communities.map((members, index) => ({
    name: names[index]!,
    members,
    publicInterface: members
      .filter((member) => interfaces.has(member))
      .map((member) => ({
        unit: member,
        operations: [...interfaces.get(member)!.operations].sort(),
        calls: interfaces.get(member)!.calls,
      })),
    tables: {
      owned: ownedTables.get(names[index]!) ?? [],
      shared: sharedTables
        .filter((table) => table.services.includes(names[index]!))
        .map((table) => table.table),
    },
  }));

  const result: DecompositionResult = {
    method,
    services,
    cutEdges,
    shared,
    sharedTables,
    assignment,
    metrics: decompositionMetrics(communities, graph.edges, {
      nedBounds: options.nedBounds,
      businessContexts: options.businessContexts,
    }),
    warnings,
  };
  if (partition.resolution !== undefined) result.resolution = partition.resolution;
  return result;
}

function serviceRange(services: DecomposeOptions['services']): [number, number] {
  const [minimum, maximum] =
    typeof services === 'number' ? [services, services] : [services.min, services.max];
  if (!Number.isInteger(minimum) || !Number.isInteger(maximum) || minimum < 1 || maximum < minimum) {
    throw new PlumbError(
      'invalid_request',
      `services must be a positive integer or { min, max } with 1 <= min <= max (got ${JSON.stringify(services)}); for example 3 or { "min": 3, "max": 8 }.`,
      { param: 'services' },
    );
  }
  return [minimum, maximum];
}

/** A table is owned by the one service whose units use it; used by several (or by shared units), it is shared data. */
function classifyTables(
  graph: DecompositionGraph,
  assignment: Readonly<Record<string, string>>,
  sharedUnits: ReadonlySet<string>,
): { ownedTables: Map<string, string[]>; sharedTables: { table: string; services: string[] }[] } {
  const usersByTable = new Map<string, Set<string>>();
  for (const use of graph.tableUses) {
    const owner = assignment[use.unit] ?? (sharedUnits.has(use.unit) ? '(shared)' : undefined);
    if (owner === undefined) continue;
    usersByTable.set(use.table, (usersByTable.get(use.table) ?? new Set()).add(owner));
  }
  const ownedTables = new Map<string, string[]>();
  const sharedTables: { table: string; services: string[] }[] = [];
  for (const [table, owners] of [...usersByTable].sort(([left], [right]) => compareText(left, right))) {
    const services = [...owners].filter((owner) => owner !== '(shared)').sort();
    if (owners.size === 1 && services.length === 1)
      ownedTables.set(services[0]!, [...(ownedTables.get(services[0]!) ?? []), table]);
    else sharedTables.push({ table, services });
  }
  return { ownedTables, sharedTables };
}
