import type { UsageReportRow } from './usage-store.ts';

/**
 * Shapes ledger rows like OpenAI's usage API (`/organization/usage/completions`): a page of time buckets,
 * each with one result per group, plus Plumb's Compute Units and cost. Empty buckets are included so clients
 * can chart without gaps.
 *
 * @example
 * toUsageReport(rows, { start, end, bucketMs: 86_400_000, groupBy: ['model'] });
 */
export function toUsageReport(
  rows: UsageReportRow[],
  query: { start: number; end: number; bucketMs: number; groupBy: string[] },
) {
  const buckets = [];
  for (let bucketStart = query.start; bucketStart < query.end; bucketStart += query.bucketMs) {
    const results = rows
      .filter((row) => row.bucketStart === bucketStart)
      .map((row) => ({
        object: 'organization.usage.completions.result',
        input_tokens: row.promptTokens,
        output_tokens: row.completionTokens,
        input_cached_tokens: row.cachedTokens,
        num_model_requests: row.requests,
        compute_units: row.computeUnits,
        cost_usd: row.costNanos / 1e9,
        ...(query.groupBy.includes('model') ? { model: row.model } : {}),
        ...(query.groupBy.includes('operation') ? { operation: row.operation } : {}),
        ...(query.groupBy.includes('client') ? { client: row.client } : {}),
      }));
    buckets.push({
      object: 'bucket',
      start_time: Math.floor(bucketStart / 1000),
      end_time: Math.floor(Math.min(bucketStart + query.bucketMs, query.end) / 1000),
      results,
    });
  }
  return { object: 'page', data: buckets, has_more: false, next_page: null };
}
