import { isCodeDependency, type DecompositionEdge } from './decomposition-graph.ts';

export interface DecompositionMetrics {
  /**
   * Structural modularity, Jin et al. 2019, "Service candidate identification from monolithic systems based
   * on execution traces" (IEEE TSE): SM = (1/K) Σ scoh_i − (1/(K(K−1)/2)) Σ_{i<j} scop_ij, with
   * scoh_i = μ_i / N_i² (μ_i dependencies inside service i, N_i its units) and scop_ij = σ_ij / (2 N_i N_j)
   * (σ_ij dependencies between i and j). Dependencies are distinct directed unit pairs with any code edge
   * (calls, instantiation, types, inheritance, reads, traces; not shared tables). Higher is better; the
   * coupling term is 0 when K = 1.
   */
  sm: number;
  /**
   * Inter-partition call percentage, Jin et al. 2019: ICP = Σ_{i≠j} c_ij / Σ_{i,j} c_ij, where c_ij counts the
   * calls (static `call` and `new` references, and traced calls, by count) from service i to service j.
   * Lower is better; 0 when there are no calls.
   */
  icp: number;
  /**
   * Interface number, Jin et al. 2019: IFN = (1/K) Σ ifn_i, the average number of published interfaces per
   * service. Counted at unit granularity (as Mono2Micro, Kalia et al. 2021, does for classes): the units of a
   * service that another service depends on. Lower is better.
   */
  ifn: number;
  /**
   * Non-extreme distribution, Wu, Hassan and Holt 2005, "Comparison of clustering algorithms in the context
   * of software evolution", as used by Jin et al. 2019: the fraction of units that sit in services whose size
   * is within `nedBounds` (published bounds 5 and 20 classes). Higher is better here; Jin et al. and
   * Mono2Micro print the complement 1 − value (lower is better).
   */
  ned: number;
  /**
   * Business-context purity, Jin et al. 2019: BCP = (1/K') Σ_i H(i), the mean over services of the entropy
   * (log base 2) of the business contexts of their members; members without a context are ignored and K'
   * counts the services with at least one. 0 means every service is one business context; lower is better.
   * Absent when no contexts are given.
   */
  bcp?: number;
}

export interface DecompositionMetricsOptions {
  /** Inclusive service-size bounds of NED (default [5, 20], the published ones). */
  nedBounds?: readonly [number, number] | undefined;
  /** Unit id → business context (bounded context, domain) for BCP. */
  businessContexts?: Readonly<Record<string, string>> | undefined;
}

const callKinds: ReadonlySet<string> = new Set(['call', 'new', 'trace']);

/**
 * Computes SM, ICP, IFN, NED and (given business contexts) BCP for services given as lists of unit ids.
 * Units in no service (shared kernel, unknown) and their edges are left out of every metric.
 *
 * @example
 * const metrics = decompositionMetrics([['a', 'b'], ['c']], graph.edges);
 * metrics.icp; // share of calls crossing a service boundary
 */
export function decompositionMetrics(
  services: readonly (readonly string[])[],
  edges: readonly DecompositionEdge[],
  options: DecompositionMetricsOptions = {},
): DecompositionMetrics {
  const serviceOf = new Map<string, number>();
  services.forEach((members, index) => {
    for (const member of members) serviceOf.set(member, index);
  });
  const serviceCount = services.length;

  const dependencyPairs = new Set<string>();
  const inside = new Array<number>(serviceCount).fill(0);
  const between = new Map<string, number>();
  const interfaces = services.map(() => new Set<string>());
  let interCalls = 0;
  let totalCalls = 0;
  for (const edge of edges) {
    if (!isCodeDependency(edge.kind)) continue;
    const from = serviceOf.get(edge.from);
    const to = serviceOf.get(edge.to);
    if (from === undefined || to === undefined || edge.from === edge.to) continue;
    if (callKinds.has(edge.kind)) {
      totalCalls += edge.count;
      if (from !== to) interCalls += edge.count;
    }
    if (from !== to) interfaces[to]!.add(edge.to);
    const pair = `${edge.from}\u0000${edge.to}`;
    if (dependencyPairs.has(pair)) continue;
    dependencyPairs.add(pair);
    if (from === to) inside[from] = inside[from]! + 1;
    else {
      const key = from < to ? `${from},${to}` : `${to},${from}`;
      between.set(key, (between.get(key) ?? 0) + 1);
    }
  }

  let cohesion = 0;
  services.forEach((members, index) => {
    if (members.length > 0) cohesion += inside[index]! / members.length ** 2;
  });
  let coupling = 0;
  for (const [key, count] of between) {
    const [first, second] = key.split(',').map(Number) as [number, number];
    coupling += count / (2 * services[first]!.length * services[second]!.length);
  }
  const pairCount = (serviceCount * (serviceCount - 1)) / 2;
  const sm = serviceCount === 0 ? 0 : cohesion / serviceCount - (pairCount > 0 ? coupling / pairCount : 0);

  const [lowest, highest] = options.nedBounds ?? [5, 20];
  const unitCount = services.reduce((sum, members) => sum + members.length, 0);
  const nonExtreme = services
    .filter((members) => members.length >= lowest && members.length <= highest)
    .reduce((sum, members) => sum + members.length, 0);

  const metrics: DecompositionMetrics = {
    sm,
    icp: totalCalls === 0 ? 0 : interCalls / totalCalls,
    ifn: serviceCount === 0 ? 0 : interfaces.reduce((sum, set) => sum + set.size, 0) / serviceCount,
    ned: unitCount === 0 ? 0 : nonExtreme / unitCount,
  };
  if (options.businessContexts) metrics.bcp = businessContextPurity(services, options.businessContexts);
  return metrics;
}

function businessContextPurity(
  services: readonly (readonly string[])[],
  contexts: Readonly<Record<string, string>>,
): number {
  let entropySum = 0;
  let counted = 0;
  for (const members of services) {
    const frequencies = new Map<string, number>();
    for (const member of members) {
      const context = contexts[member];
      if (context !== undefined) frequencies.set(context, (frequencies.get(context) ?? 0) + 1);
    }
    const total = [...frequencies.values()].reduce((sum, count) => sum + count, 0);
    if (total === 0) continue;
    let entropy = 0;
    for (const count of frequencies.values()) entropy -= (count / total) * Math.log2(count / total);
    entropySum += entropy;
    counted += 1;
  }
  return counted === 0 ? 0 : entropySum / counted;
}
