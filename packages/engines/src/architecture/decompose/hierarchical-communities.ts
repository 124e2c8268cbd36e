import { agnes, type Cluster } from 'ml-hclust';
import { normalizeCommunities, type Communities } from './louvain-communities.ts';

/**
 * Agglomerative clustering (ml-hclust `agnes`, average linkage) cut to exactly `count` clusters. Distance is
 * 1 − connection strength normalised by the two units' total strengths (w_ij / √(s_i s_j), a cosine-like
 * similarity in [0, 1]), so two units that mostly talk to each other are close whatever their size, and
 * unconnected units are at distance 1.
 *
 * @example
 * const communities = hierarchicalCommunities(adjacency, 3);
 */
export function hierarchicalCommunities(
  adjacency: ReadonlyMap<string, ReadonlyMap<string, number>>,
  count: number,
): Communities {
  const nodes = [...adjacency.keys()].sort();
  if (nodes.length === 0) return [];
  if (nodes.length <= count) return normalizeCommunities(nodes.map((node) => [node]));
  const strength = nodes.map((node) =>
    [...(adjacency.get(node)?.values() ?? [])].reduce((sum, weight) => sum + weight, 0),
  );
  const distances = nodes.map((node, row) =>
    nodes.map((other, column) => {
      if (row === column) return 0;
      const weight = adjacency.get(node)?.get(other) ?? 0;
      const denominator = Math.sqrt(strength[row]! * strength[column]!);
      return denominator > 0 ? 1 - Math.min(1, weight / denominator) : 1;
    }),
  );
  const tree = agnes(distances, { isDistanceMatrix: true, method: 'average' });
  const groups = tree.group(count).children;
  return normalizeCommunities(groups.map((group: Cluster) => group.indices().map((index) => nodes[index]!)));
}
