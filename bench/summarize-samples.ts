/** Percentiles of a set of samples (milliseconds, tokens per second ...), computed by nearest rank. */
export interface SampleSummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/**
 * Summarizes samples by nearest-rank percentiles. Sorting a copy keeps the caller's arrival order intact.
 *
 * @example
 * summarizeSamples([3, 1, 2]).p50; // 2
 */
export function summarizeSamples(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, mean: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  let total = 0;
  for (const sample of sorted) total += sample;
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    mean: total / sorted.length,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/**
 * The median of a few numbers (the per-round results of a scenario); NaN for none.
 *
 * @example
 * median([5, 1, 3, 100]); // 4
 */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return NaN;
  const sorted = Float64Array.from(finite).sort();
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentileOfSorted(sorted: Float64Array, percentile: number): number {
  const rank = Math.ceil((percentile / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}

/** Milliseconds elapsed since a `process.hrtime.bigint()` reading. */
export function millisecondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
