import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../storage/create-postgres-storage.ts';
import { createSqliteStorage } from '../storage/create-sqlite-storage.ts';
import type { Storage } from '../storage/index.ts';
import { createMetering } from './create-metering.ts';
import { costNanos } from './price-usage.ts';
import { rateCard, recomputeComputeUnits, type ComputeUnitInputs } from './rate-card.ts';

const postgresUrl = process.env.PLUMB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const directories: string[] = [];
const opened: Storage[] = [];
const schemas: string[] = [];
afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.close()));
  if (schemas.length > 0) {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

const backends: Array<[string, () => Promise<Storage>]> = [
  [
    'sqlite',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'plumb-metering-'));
      directories.push(directory);
      return createSqliteStorage({ filename: join(directory, 'plumb.db') });
    },
  ],
  [
    'postgres',
    () =>
      createPostgresStorage({
        connectionString: postgresUrl,
        schema: `plumb_test_${randomBytes(6).toString('hex')}`,
      }),
  ],
];

describe.each(backends)('metering on %s', (_name, open) => {
  it('recomputes every invoice line from the stored inputs alone', async () => {
    const storage = await open();
    opened.push(storage);
    const prices = { models: { '*': { input: 0.15, output: 0.6, cached: 0.075 } }, computeUnit: 0.002 };
    const metering = createMetering({ storage, prices });
    const principal = {
      subject: 'ci-bot',
      kind: 'oauth' as const,
      scopes: [],
      clientId: 'ci-bot',
      apiKeyId: null,
    };
    const measurements = [
      { operation: 'debug.step', measurement: { workUnits: 37, durationSeconds: 12.5 } },
      { operation: 'security.review', measurement: { workUnits: 20, durationSeconds: 0.01 } },
      { operation: 'code_graph.index', measurement: { workUnits: 120_000, durationSeconds: 31 } },
    ] as const;
    for (const [index, item] of measurements.entries()) {
      await metering.recordComputeUnits({ principal, requestId: `req_${index}`, ...item });
    }
    await metering.recordChat({
      principal,
      requestId: 'req_chat',
      model: 'local/qwen',
      usage: {
        prompt_tokens: 1234,
        completion_tokens: 567,
        total_tokens: 1801,
        prompt_tokens_details: { cached_tokens: 1000 },
      },
      usageSource: 'provider',
      streamed: true,
    });

    const events = await metering.store.events({
      billingSubject: 'client:ci-bot',
      start: 0,
      end: Date.now() + 1000,
    });
    expect(events).toHaveLength(4);
    let invoiceNanos = 0;
    for (const event of events) {
      const units = event.compute_unit_inputs
        ? recomputeComputeUnits(JSON.parse(event.compute_unit_inputs) as ComputeUnitInputs)
        : 0;
      expect(units).toBe(event.compute_units);
      const recomputed = costNanos(
        {
          promptTokens: event.prompt_tokens,
          completionTokens: event.completion_tokens,
          cachedTokens: event.cached_tokens,
          computeUnits: units,
        },
        {
          priceInputPerMillion: event.price_input_per_million,
          priceOutputPerMillion: event.price_output_per_million,
          priceCachedPerMillion: event.price_cached_per_million,
          pricePerComputeUnit: event.price_per_compute_unit,
        },
      );
      expect(recomputed).toBe(event.cost_nanos);
      invoiceNanos += recomputed;
    }
    // debug.step: max(37, 12.5 s x 1/s) = 37 steps x 0.01 = 0.37 CU; security.review: the 100-line minimum
    // x 0.001 = 0.1 CU; code_graph.index: max(120000, 31 s x 2000) x 0.0005 = 60 CU.
    expect(events.map((event) => event.compute_units)).toEqual([0.37, 0.1, 60, 0]);
    const chatNanos = 234 * 0.15 * 1000 + 1000 * 0.075 * 1000 + 567 * 0.6 * 1000;
    expect(invoiceNanos).toBe(Math.round(60.47 * 0.002 * 1e9) + Math.round(chatNanos));
    const totals = await metering.store.totalsSince('client:ci-bot', 0);
    expect(totals.costNanos).toBe(invoiceNanos);
    expect(rateCard.version).toMatch(/^cu-/);
  });
});
