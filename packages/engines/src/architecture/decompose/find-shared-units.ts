import { compareText, isCodeDependency, type DecompositionEdge } from './decomposition-graph.ts';
import type { Communities } from './louvain-communities.ts';

export interface SharedUnitOptions {
  /**
   * A unit whose fan-in or fan-out (distinct units) is at least this many times the average is an
   * "omnipresent" candidate. Bunch (Mitchell and Mancoridis 2006) suggests 3 for module graphs; the unit graph
   * here also counts type mentions, which flattens the degree distribution, so the default is 2 (on the
   * sample monolith 3 left Money-like kernels inside services on some seeds). Default 2.
   */
  degreeFactor?: number | undefined;
  /** A candidate stays shared only when it is connected to at least this many services. Default 3. */
  minimumCommunities?: number | undefined;
  /**
   * ... and no service holds more than this share of its connected units; otherwise it joins that service.
   * Default 0.5.
   */
  maximumDominantShare?: number | undefined;
}

export interface SharedUnit {
  unit: string;
  /** Distinct units that depend on it. */
  fanIn: number;
  /** Distinct units it depends on. */
  fanOut: number;
  /** Services it is connected to. */
  communities: number;
}

/**
 * Omnipresent units (Bunch, Mitchell and Mancoridis 2006): a shared kernel everyone depends on (Money, Clock,
 * Db) or a composition root that depends on everyone (the container, `main`). Left in, they glue every
 * cluster to every other and clustering groups units by technical role instead of by business; so they are
 * clustered without the suppliers (a big domain service also has a high fan-out, and taking it out would
 * shatter its domain), then `settleSharedUnits` decides whether each supplier and client really is shared.
 *
 * @example
 * omnipresentUnits(graph.edges, graph.units.map((unit) => unit.id)); // ['src/shared/money.ts#Money', ...]
 */
export function omnipresentUnits(
  edges: readonly DecompositionEdge[],
  units: readonly string[],
  options: SharedUnitOptions = {},
): { suppliers: string[]; clients: string[] } {
  const factor = options.degreeFactor ?? 2;
  const { fanIn, fanOut } = degrees(edges);
  const averageIn = [...fanIn.values()].reduce((sum, set) => sum + set.size, 0) / Math.max(1, units.length);
  const averageOut = [...fanOut.values()].reduce((sum, set) => sum + set.size, 0) / Math.max(1, units.length);
  const suppliers = units.filter((unit) => (fanIn.get(unit)?.size ?? 0) >= Math.max(2, factor * averageIn));
  const clients = units.filter(
    (unit) => !suppliers.includes(unit) && (fanOut.get(unit)?.size ?? 0) >= Math.max(2, factor * averageOut),
  );
  return { suppliers: suppliers.sort(compareText), clients: clients.sort(compareText) };
}

/**
 * Decides, for each omnipresent candidate, between staying shared (connected to `minimumCommunities` or more
 * services with none dominant) and joining the service it is most connected to (a hub of one domain, such as
 * that domain's orchestrating service).
 *
 * @example
 * const { shared, joins } = settleSharedUnits(candidates, graph.edges, communities);
 */
export function settleSharedUnits(
  candidates: readonly string[],
  edges: readonly DecompositionEdge[],
  communities: Communities,
  options: SharedUnitOptions = {},
): { shared: SharedUnit[]; joins: Map<string, number> } {
  const minimumCommunities = options.minimumCommunities ?? 3;
  const maximumDominantShare = options.maximumDominantShare ?? 0.5;
  const communityOf = new Map<string, number>();
  communities.forEach((members, index) => members.forEach((member) => communityOf.set(member, index)));
  const { fanIn, fanOut } = degrees(edges);
  const candidateSet = new Set(candidates);
  // Distinct neighbours per service, not edge weight: one service calling Money a hundred times does not
  // make Money that service's, ten services each using it once make it shared.
  const neighbours = new Map<string, Map<number, Set<string>>>();
  const add = (unit: string, other: string) => {
    const community = communityOf.get(other);
    if (!candidateSet.has(unit) || community === undefined) return;
    const byCommunity = neighbours.get(unit) ?? new Map<number, Set<string>>();
    byCommunity.set(community, (byCommunity.get(community) ?? new Set()).add(other));
    neighbours.set(unit, byCommunity);
  };
  for (const edge of edges) {
    if (edge.from === edge.to || candidateSet.has(edge.from) === candidateSet.has(edge.to)) continue;
    add(edge.from, edge.to);
    add(edge.to, edge.from);
  }
  const connections = new Map(
    [...neighbours].map(([unit, byCommunity]) => [
      unit,
      new Map([...byCommunity].map(([community, set]) => [community, set.size])),
    ]),
  );
  const shared: SharedUnit[] = [];
  const joins = new Map<string, number>();
  for (const unit of candidates) {
    const byCommunity = [...(connections.get(unit) ?? new Map<number, number>())].sort(
      ([leftCommunity, left], [rightCommunity, right]) => right - left || leftCommunity - rightCommunity,
    );
    const total = byCommunity.reduce((sum, [, weight]) => sum + weight, 0);
    const [dominant, dominantWeight] = byCommunity[0] ?? [undefined, 0];
    if (byCommunity.length >= minimumCommunities && dominantWeight / total <= maximumDominantShare) {
      shared.push({
        unit,
        fanIn: fanIn.get(unit)?.size ?? 0,
        fanOut: fanOut.get(unit)?.size ?? 0,
        communities: byCommunity.length,
      });
    } else if (dominant !== undefined) joins.set(unit, dominant);
    else {
      // Connected to other candidates only: nothing to join.
      shared.push({
        unit,
        fanIn: fanIn.get(unit)?.size ?? 0,
        fanOut: fanOut.get(unit)?.size ?? 0,
        communities: 0,
      });
    }
  }
  return { shared, joins };
}

function degrees(edges: readonly DecompositionEdge[]): {
  fanIn: Map<string, Set<string>>;
  fanOut: Map<string, Set<string>>;
} {
  const fanIn = new Map<string, Set<string>>();
  const fanOut = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (!isCodeDependency(edge.kind) || edge.from === edge.to) continue;
    fanIn.set(edge.to, (fanIn.get(edge.to) ?? new Set()).add(edge.from));
    fanOut.set(edge.from, (fanOut.get(edge.from) ?? new Set()).add(edge.to));
  }
  return { fanIn, fanOut };
}
