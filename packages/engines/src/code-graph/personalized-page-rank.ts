/**
 * PageRank with a personalisation vector, by power iteration. Written here because graphology-metrics'
 * `pagerank` has no personalisation: the random surfer restarts at the focus nodes (the files and identifiers
 * of the conversation), which is what makes a repo map relevant to the task at hand. Dangling nodes (no
 * outgoing edges) hand their rank to the personalisation vector too, so ranks always sum to 1.
 *
 * @example
 * personalizedPageRank(3, [{ from: 0, to: 1, weight: 1 }, { from: 2, to: 1, weight: 1 }], [1, 0, 0])
 * // => [0.43, 0.49, 0.08] (roughly)
 */
export function personalizedPageRank(
  nodeCount: number,
  edges: readonly { from: number; to: number; weight: number }[],
  personalization?: readonly number[],
  options: { damping?: number; tolerance?: number; maxIterations?: number } = {},
): number[] {
  if (nodeCount === 0) return [];
  const damping = options.damping ?? 0.85;
  const tolerance = options.tolerance ?? 1e-9;
  const restart = normalize(personalization ?? new Array<number>(nodeCount).fill(1), nodeCount);
  const outWeight = new Float64Array(nodeCount);
  for (const edge of edges) outWeight[edge.from] = (outWeight[edge.from] ?? 0) + edge.weight;
  let rank = Float64Array.from(restart);
  for (let iteration = 0; iteration < (options.maxIterations ?? 100); iteration += 1) {
    const next = new Float64Array(nodeCount);
    let dangling = 0;
    for (let node = 0; node < nodeCount; node += 1)
      if ((outWeight[node] ?? 0) === 0) dangling += rank[node] ?? 0;
    for (const edge of edges) {
      const total = outWeight[edge.from] ?? 0;
      if (total > 0)
        next[edge.to] = (next[edge.to] ?? 0) + (damping * (rank[edge.from] ?? 0) * edge.weight) / total;
    }
    let change = 0;
    for (let node = 0; node < nodeCount; node += 1) {
      const value = (next[node] ?? 0) + (1 - damping + damping * dangling) * (restart[node] ?? 0);
      change += Math.abs(value - (rank[node] ?? 0));
      next[node] = value;
    }
    rank = next;
    if (change < tolerance) break;
  }
  return [...rank];
}

function normalize(values: readonly number[], length: number): number[] {
  const total = values.reduce((sum, value) => sum + Math.max(0, value), 0);
  return total === 0
    ? new Array<number>(length).fill(1 / length)
    : Array.from({ length }, (_, index) => Math.max(0, values[index] ?? 0) / total);
}
