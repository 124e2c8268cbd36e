import { compareText, isCodeDependency, type DecompositionEdge } from './decomposition-graph.ts';
import type { Communities } from './louvain-communities.ts';

export interface SharedUnitOptions {
  /** Distinct communities (its own included) whose units depend on it. Default 3. */
  minimumCommunities?: number | undefined;
  /** Distinct units depending on it. Default 4. */
  minimumFanIn?: number | undefined;
  /** Share of its incoming dependency weight that comes from other communities. Default 0.4. */
  minimumOutsideShare?: number | undefined;
}

export interface SharedUnit {
  unit: string;
  /** Distinct units that depend on it. */
  fanIn: number;
  /** Distinct communities those units were in when it was detected. */
  communities: number;
}

/**
 * Finds the shared kernel: units (Money, Clock, Db) that units of many communities depend on. Forcing one into
 * a single service would turn every other service's use into a remote call, so they are reported as
 * candidates for a shared library instead, and clustering is redone without them.
 *
 * @example
 * findSharedUnits(graph.edges, communities, { minimumCommunities: 3 }); // [{ unit: 'src/money.ts#Money', ... }]
 */
export function findSharedUnits(
  edges: readonly DecompositionEdge[],
  communities: Communities,
  options: SharedUnitOptions = {},
): SharedUnit[] {
  const minimumCommunities = options.minimumCommunities ?? 3;
  const minimumFanIn = options.minimumFanIn ?? 4;
  const minimumOutsideShare = options.minimumOutsideShare ?? 0.4;
  const communityOf = new Map<string, number>();
  communities.forEach((members, index) => {
    for (const member of members) communityOf.set(member, index);
  });
  const incoming = new Map<string, { sources: Set<string>; outside: number; total: number }>();
  for (const edge of edges) {
    if (!isCodeDependency(edge.kind) || edge.from === edge.to) continue;
    const fromCommunity = communityOf.get(edge.from);
    const toCommunity = communityOf.get(edge.to);
    if (fromCommunity === undefined || toCommunity === undefined) continue;
    const entry = incoming.get(edge.to) ?? { sources: new Set<string>(), outside: 0, total: 0 };
    entry.sources.add(edge.from);
    entry.total += edge.weight;
    if (fromCommunity !== toCommunity) entry.outside += edge.weight;
    incoming.set(edge.to, entry);
  }
  const shared: SharedUnit[] = [];
  for (const [unit, entry] of incoming) {
    const referringCommunities = new Set([...entry.sources].map((source) => communityOf.get(source)!));
    referringCommunities.add(communityOf.get(unit)!);
    if (
      entry.sources.size >= minimumFanIn &&
      referringCommunities.size >= minimumCommunities &&
      entry.total > 0 &&
      entry.outside / entry.total >= minimumOutsideShare
    ) {
      shared.push({ unit, fanIn: entry.sources.size, communities: referringCommunities.size });
    }
  }
  return shared.sort((left, right) => compareText(left.unit, right.unit));
}
