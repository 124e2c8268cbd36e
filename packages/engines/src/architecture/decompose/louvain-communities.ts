import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { compareText } from './decomposition-graph.ts';

// The package is CommonJS (`module.exports = fn`) but its types declare `export default`: under NodeNext the
// default import is typed as the namespace, while Node and Vite hand over the function itself.
const louvain = (
  typeof louvainModule === 'function' ? louvainModule : (louvainModule as { default: unknown }).default
) as typeof louvainModule.default;

/** Units grouped into communities; every list sorted, lists ordered largest first. */
export type Communities = string[][];

/**
 * A small, fast, seedable generator (mulberry32): Louvain visits nodes in random order, and the same seed
 * must give the same services on every machine.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, every time
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sorts members and orders communities largest first, then by first member, so output order is stable. */
export function normalizeCommunities(communities: Communities): Communities {
  return communities
    .filter((members) => members.length > 0)
    .map((members) => [...members].sort())
    .sort((left, right) => right.length - left.length || compareText(left[0]!, right[0]!));
}

/**
 * One Louvain run (graphology-communities-louvain) over the undirected weighted adjacency, with a seeded
 * random order. Higher resolution gives more, smaller communities.
 *
 * @example
 * const communities = louvainCommunities(adjacency, { resolution: 1, seed: 7 });
 */
export function louvainCommunities(
  adjacency: ReadonlyMap<string, ReadonlyMap<string, number>>,
  options: { resolution: number; seed: number },
): Communities {
  const graph = new UndirectedGraph();
  const nodes = [...adjacency.keys()].sort();
  for (const node of nodes) graph.addNode(node);
  for (const node of nodes) {
    const neighbours = [...(adjacency.get(node)?.entries() ?? [])].sort(([left], [right]) =>
      compareText(left, right),
    );
    for (const [neighbour, weight] of neighbours) {
      if (node < neighbour && weight > 0) graph.addEdge(node, neighbour, { weight });
    }
  }
  if (graph.size === 0) return normalizeCommunities(nodes.map((node) => [node]));
  const assignment = louvain(graph, {
    resolution: options.resolution,
    rng: seededRandom(options.seed),
    getEdgeWeight: 'weight',
  });
  const byCommunity = new Map<number, string[]>();
  for (const node of nodes) {
    const community = assignment[node]!;
    byCommunity.set(community, [...(byCommunity.get(community) ?? []), node]);
  }
  return normalizeCommunities([...byCommunity.values()]);
}

export interface ResolutionSearchResult {
  communities: Communities;
  resolution: number;
  /** Whether a resolution giving a count inside the range was found. */
  inRange: boolean;
}

/**
 * Searches the Louvain resolution (bisection on its logarithm, starting at `start`) until `partition`, the
 * whole pipeline after Louvain (tiny-community merging and so on), yields a community count in
 * [minimum, maximum]. The count grows with resolution only roughly, so the closest attempt is kept.
 *
 * @example
 * const found = searchResolution({ start: 1, minimum: 3, maximum: 5, partition: (r) => run(r) });
 */
export function searchResolution(options: {
  start: number;
  minimum: number;
  maximum: number;
  partition: (resolution: number) => Communities;
  iterations?: number;
}): ResolutionSearchResult {
  const { minimum, maximum, partition } = options;
  const distance = (count: number): number =>
    count < minimum ? minimum - count : count > maximum ? count - maximum : 0;
  let best: ResolutionSearchResult | undefined;
  const attempt = (resolution: number): number => {
    const communities = partition(resolution);
    const miss = distance(communities.length);
    if (!best || miss < distance(best.communities.length))
      best = { communities, resolution, inRange: miss === 0 };
    return communities.length;
  };
  let low = Math.log10(0.001);
  let high = Math.log10(100);
  let exponent = Math.min(high, Math.max(low, Math.log10(options.start)));
  for (let iteration = 0; iteration < (options.iterations ?? 24); iteration += 1) {
    const count = attempt(10 ** exponent);
    if (count >= minimum && count <= maximum) break;
    if (count < minimum) low = exponent;
    else high = exponent;
    exponent = (low + high) / 2;
  }
  return best!;
}
