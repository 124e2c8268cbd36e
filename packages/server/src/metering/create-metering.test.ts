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
import { rateCard } from './rate-card.ts';
import { recomputeInvoice } from './recompute-invoice.ts';

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

    await metering.flush();
    const events = await metering.store.events({
      billingSubject: 'client:ci-bot',
      start: 0,
      end: Date.now() + 1000,
    });
    expect(events).toHaveLength(4);
    const invoice = recomputeInvoice(events);
    expect(invoice.lines.every((line) => line.matchesStored)).toBe(true);
    const invoiceNanos = invoice.costNanos;
    expect(invoice.computeUnits).toBe(60.47);
    // debug.step: max(37, 12.5 s x 1/s) = 37 steps x 0.01 = 0.37 CU; security.review: the 100-line minimum
    // x 0.001 = 0.1 CU; code_graph.index: max(120000, 31 s x 2000) x 0.0005 = 60 CU.
    expect(events.map((event) => event.compute_units)).toEqual([0.37, 0.1, 60, 0]);
    const chatNanos = 234 * 0.15 * 1000 + 1000 * 0.075 * 1000 + 567 * 0.6 * 1000;
    expect(invoiceNanos).toBe(Math.round(60.47 * 0.002 * 1e9) + Math.round(chatNanos));
    const totals = await metering.store.totalsSince('client:ci-bot', 0);
    expect(totals.costNanos).toBe(invoiceNanos);
    expect(rateCard.version).toMatch(/^cu-/);
  });

  it('aggregates the usage report in SQL by day, model and subject', async () => {
    const storage = await open();
    opened.push(storage);
    const day = 86_400_000;
    const start = Date.UTC(2026, 9, 1);
    let clock = start;
    const metering = createMetering({
      storage,
      prices: { models: { '*': { input: 1, output: 3 } }, computeUnit: 0 },
      now: () => clock,
    });
    const principal = (clientId: string) => ({
      subject: clientId,
      kind: 'oauth' as const,
      scopes: [],
      clientId,
      apiKeyId: null,
    });
    const turns = [
      { at: start + 5, client: 'a', model: 'm1', prompt: 10, completion: 1 },
      { at: start + day - 1, client: 'a', model: 'm2', prompt: 20, completion: 2 },
      { at: start + day - 1, client: 'a', model: 'm1', prompt: 30, completion: 3 },
      { at: start + day, client: 'a', model: 'm1', prompt: 40, completion: 4 },
      { at: start + day + 7, client: 'b', model: 'm1', prompt: 50, completion: 5 },
      { at: start + 2 * day, client: 'a', model: 'm1', prompt: 60, completion: 6 }, // outside the range
    ];
    for (const [index, turn] of turns.entries()) {
      clock = turn.at;
      await metering.recordChat({
        principal: principal(turn.client),
        requestId: `req_${index}`,
        model: turn.model,
        usage: { prompt_tokens: turn.prompt, completion_tokens: turn.completion, total_tokens: 0 },
        usageSource: 'provider',
        streamed: false,
      });
    }
    await metering.flush();
    const range = { start, end: start + 2 * day, bucketMs: day };
    const own = await metering.store.report({ ...range, groupBy: ['model'], billingSubject: 'client:a' });
    expect(own.map((row) => [row.bucketStart, row.model, row.requests, row.promptTokens])).toEqual([
      [start, 'm1', 2, 40],
      [start, 'm2', 1, 20],
      [start + day, 'm1', 1, 40],
    ]);
    expect(own[0]?.costNanos).toBe((40 * 1 + 4 * 3) * 1000);
    const everyone = await metering.store.report({ ...range, groupBy: ['client'], billingSubject: null });
    expect(everyone.map((row) => [row.bucketStart, row.client, row.completionTokens])).toEqual([
      [start, 'client:a', 6],
      [start + day, 'client:a', 4],
      [start + day, 'client:b', 5],
    ]);
  });

  it('refuses a subject at its daily Compute Unit budget until the next UTC day', async () => {
    const storage = await open();
    opened.push(storage);
    let clock = Date.UTC(2026, 10, 23, 12);
    const metering = createMetering({ storage, prices: { models: {}, computeUnit: 0 }, now: () => clock });
    const principal = { subject: 'k1', kind: 'api_key' as const, scopes: [], clientId: null, apiKeyId: 'k1' };
    await metering.store.setLimits({
      billing_subject: 'key:k1',
      requests_per_minute: null,
      tokens_per_minute: null,
      tokens_per_month: null,
      compute_units_per_day: 1,
      spend_nanos_per_month: null,
    });
    await metering.beforeRequest(principal);
    // 100 debugger steps x 0.01 CU = 1 CU: the budget is used up.
    await metering.recordComputeUnits({
      principal,
      requestId: 'req_steps',
      operation: 'debug.step',
      measurement: { workUnits: 100, durationSeconds: 1 },
    });
    await expect(metering.beforeRequest(principal)).rejects.toMatchObject({
      code: 'quota_exceeded',
      headers: { 'retry-after': String(12 * 3600) },
    });
    clock = Date.UTC(2026, 10, 24, 0, 0, 1);
    await expect(metering.beforeRequest(principal)).resolves.toBeUndefined();
  });
});
