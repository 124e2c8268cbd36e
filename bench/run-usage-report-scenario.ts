// Usage report over a large ledger on SQLite: the target is < 1 s for 1,000,000 events. Baseline in
// the same run: the same per-subject report with the ledger's indexes dropped (what the query would cost
// without the (billing_subject, created_at) index).
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createUsageStore, openStorage } from '@plumb/server';
import { checkTarget, formatNumber, type ScenarioReport } from './scenario-report.ts';
import { median } from './summarize-samples.ts';
import { createTemporaryDirectory, removeTemporaryDirectories } from './temporary-directories.ts';

type UsageEventsTable = Parameters<ReturnType<typeof createUsageStore>['insert']>[0];

export interface UsageReportScenarioOptions {
  events: number;
  rounds: number;
}

const dayMs = 86_400_000;
const models = [
  'local/qwen2.5-coder',
  'local/llama-3.1',
  'openai/gpt-4.1',
  'openai/gpt-4.1-mini',
  'anthropic/claude',
];
const operations = ['chat.completions', 'debug.step', 'security.review'];
const subjects = Array.from({ length: 20 }, (_, index) => `client:bench-${index}`);

/**
 * Fills a temporary SQLite ledger with `events` usage events over 30 days, then times the usage report.
 *
 * @example
 * const report = await runUsageReportScenario({ events: 1_000_000, rounds: 5 });
 */
export async function runUsageReportScenario(options: UsageReportScenarioOptions): Promise<ScenarioReport> {
  const directory = createTemporaryDirectory('plumb-bench-usage-');
  const storage = await openStorage({ dataDirectory: directory });
  try {
    const store = createUsageStore(storage.db);
    const end = Date.UTC(2026, 10, 1);
    const start = end - 30 * dayMs;

    const insertStarted = performance.now();
    const batch = 1000;
    for (let offset = 0; offset < options.events; offset += 50_000) {
      await storage.db.transaction().execute(async (transaction) => {
        for (let first = offset; first < Math.min(offset + 50_000, options.events); first += batch) {
          const rows: UsageEventsTable[] = [];
          for (let index = first; index < Math.min(first + batch, options.events); index += 1) {
            rows.push(syntheticEvent(index, start, options.events));
          }
          await transaction.insertInto('usage_events').values(rows).execute();
        }
      });
    }
    const insertSeconds = (performance.now() - insertStarted) / 1000;

    const time = async (body: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let round = 0; round < options.rounds; round += 1) {
        const started = performance.now();
        await body();
        samples.push(performance.now() - started);
      }
      return median(samples);
    };
    const allSubjects = () =>
      store.report({ start, end, bucketMs: dayMs, groupBy: ['model'], billingSubject: null });
    const oneSubject = () =>
      store.report({ start, end, bucketMs: dayMs, groupBy: ['model'], billingSubject: 'client:bench-7' });

    const checkRows = await allSubjects();
    const countedEvents = checkRows.reduce((sum, row) => sum + row.requests, 0);
    const allMs = await time(allSubjects);
    const oneMs = await time(oneSubject);
    await sql`drop index usage_events_subject_created_idx`.execute(storage.db);
    await sql`drop index usage_events_created_idx`.execute(storage.db);
    const oneWithoutIndexMs = await time(oneSubject);
    const allWithoutIndexMs = await time(allSubjects);

    return {
      name: 'usage-report',
      title: `Usage report on SQLite over ${formatNumber(options.events, 0)} events (30 days, 20 subjects, bucket 1d, group_by model; median of ${options.rounds})`,
      table: {
        headers: ['query', 'with indexes ms', 'without indexes ms (baseline)', 'ratio'],
        rows: [
          [
            'all subjects (admin)',
            formatNumber(allMs),
            formatNumber(allWithoutIndexMs),
            `${formatNumber(allWithoutIndexMs / allMs)}×`,
          ],
          [
            'one subject',
            formatNumber(oneMs),
            formatNumber(oneWithoutIndexMs),
            `${formatNumber(oneWithoutIndexMs / oneMs)}×`,
          ],
        ],
      },
      notes: [
        `Inserted ${formatNumber(options.events, 0)} events in ${formatNumber(insertSeconds, 1)} s (${formatNumber(options.events / insertSeconds, 0)} events/s, batches of ${batch} rows in 50,000-row transactions); the report counted ${formatNumber(countedEvents, 0)}.`,
      ],
      targets: [
        checkTarget({
          name: 'usage report, all subjects',
          value: allMs,
          comparison: '<=',
          limit: 1000,
          unit: 'ms',
        }),
        checkTarget({
          name: 'usage report, one subject',
          value: oneMs,
          comparison: '<=',
          limit: 1000,
          unit: 'ms',
        }),
      ],
      data: {
        events: options.events,
        insertSeconds,
        allMs,
        oneMs,
        allWithoutIndexMs,
        oneWithoutIndexMs,
        countedEvents,
      },
    };
  } finally {
    await storage.close();
    removeTemporaryDirectories(directory);
  }
}

function syntheticEvent(index: number, start: number, total: number): UsageEventsTable {
  const promptTokens = 100 + (index % 900);
  const completionTokens = 50 + (index % 400);
  return {
    id: `use_bench_${index}`,
    created_at: start + Math.floor((index / total) * 30 * dayMs),
    billing_subject: subjects[index % subjects.length]!,
    principal_subject: null,
    client_id: null,
    api_key_id: null,
    request_id: `req_bench_${index}`,
    operation: operations[index % operations.length]!,
    model: models[index % models.length]!,
    streamed: index % 2,
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    cached_tokens: 0,
    token_source: 'provider',
    compute_units: index % 3 === 0 ? 0 : 0.5,
    rate_card_version: null,
    compute_unit_inputs: null,
    price_input_per_million: 2,
    price_output_per_million: 8,
    price_cached_per_million: 1,
    price_per_compute_unit: 0.01,
    cost_nanos: promptTokens * 2000 + completionTokens * 8000,
  };
}
