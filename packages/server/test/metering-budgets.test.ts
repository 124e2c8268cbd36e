import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsageStore, type UsageLimits } from '../src/metering/usage-store.ts';
import { errorOf, startAuthTestServer, type AuthTestServer } from './auth-test-server.ts';

const noLimits = {
  requests_per_minute: null,
  tokens_per_minute: null,
  tokens_per_month: null,
  compute_units_per_day: null,
  spend_nanos_per_month: null,
};

describe('budgets and rate limits per billing subject (API keys, auth on)', () => {
  let auth: AuthTestServer;

  beforeAll(async () => {
    const configFile = join(tmpdir(), `plumb-budgets-${process.pid}-${Date.now()}.json`);
    // 2 and 8 USD per 1M tokens: 100 prompt + 100 completion tokens cost exactly $0.001.
    await writeFile(
      configFile,
      JSON.stringify({ metering: { prices: { models: { '*': { input: 2, output: 8 } } } } }),
    );
    auth = await startAuthTestServer({ environment: { PLUMB_CONFIG: configFile } });
  });
  afterAll(async () => auth.close());

  /** A new API key whose limits are set before its first request, like `plumb limits set` would. */
  async function keyWithLimits(limits: Partial<UsageLimits>) {
    const { apiKey, key } = await auth.apiKeys.create({
      name: 'budget',
      scopes: ['code:read', 'usage:read'],
    });
    const subject = `key:${apiKey.id}`;
    await createUsageStore(auth.server.plumb.storage.db).setLimits({
      ...noLimits,
      ...limits,
      billing_subject: subject,
    });
    return { key, subject };
  }

  const chat = (key: string, usage: { prompt_tokens: number; completion_tokens: number }) => {
    // A refused request leaves its turn unused: start each request from an empty queue and request log.
    auth.server.scripted.reset();
    auth.server.scripted.enqueue({ text: 'ok', usage });
    return auth.call('POST', '/v3/chat/completions', {
      token: key,
      body: { model: auth.model, mode: 'chat', messages: [{ role: 'user', content: 'hi' }] },
    });
  };

  it('stops a key with a 1,000-token monthly budget at the first request past it (402)', async () => {
    const { key, subject } = await keyWithLimits({ tokens_per_month: 1000 });
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof chat>> | undefined;
    for (let index = 0; index < 4; index += 1) {
      const answer = await chat(key, { prompt_tokens: 300, completion_tokens: 100 });
      statuses.push(answer.status);
      if (answer.status === 402) {
        refused = answer;
        // Refused before the model was called.
        expect(auth.server.scripted.requests).toHaveLength(0);
      }
    }
    // 400 and 800 tokens are under the budget; the third request starts at 800 and ends at 1,200 (a budget is
    // checked before a request, so it may be crossed by one request); the fourth is refused.
    expect(statuses).toEqual([200, 200, 200, 402]);
    expect(errorOf(refused!.body).code).toBe('quota_exceeded');
    const now = new Date();
    const secondsToNextMonth =
      (Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - now.getTime()) / 1000;
    expect(Math.abs(Number(refused!.headers.get('retry-after')) - secondsToNextMonth)).toBeLessThan(30);

    // Its own usage report shows the 1,200 tokens and nothing of other subjects.
    const report = await auth.call('GET', '/v3/usage?group_by=client', { token: key });
    const results = (report.body.data as Array<{ results: Array<Record<string, unknown>> }>).flatMap(
      (bucket) => bucket.results,
    );
    expect(results.map((result) => result.client)).toEqual([subject]);
    expect(
      results.reduce((sum, result) => sum + Number(result.input_tokens) + Number(result.output_tokens), 0),
    ).toBe(1200);
  });

  it('stops a key at its monthly spend budget (402)', async () => {
    const { key } = await keyWithLimits({ spend_nanos_per_month: 1_500_000 }); // $0.0015
    const usage = { prompt_tokens: 100, completion_tokens: 100 }; // $0.001 each
    expect((await chat(key, usage)).status).toBe(200);
    expect((await chat(key, usage)).status).toBe(200);
    const refused = await chat(key, usage);
    expect(refused.status).toBe(402);
    expect(errorOf(refused.body).message).toContain('spend');
  });

  it('rate-limits requests per minute with 429 and Retry-After', async () => {
    const { key } = await keyWithLimits({ requests_per_minute: 2 });
    const usage = { prompt_tokens: 1, completion_tokens: 1 };
    expect((await chat(key, usage)).status).toBe(200);
    expect((await chat(key, usage)).status).toBe(200);
    const limited = await chat(key, usage);
    expect(limited.status).toBe(429);
    expect(errorOf(limited.body).code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('rate-limits tokens per minute with 429', async () => {
    const { key } = await keyWithLimits({ tokens_per_minute: 500 });
    expect((await chat(key, { prompt_tokens: 400, completion_tokens: 200 })).status).toBe(200);
    const limited = await chat(key, { prompt_tokens: 1, completion_tokens: 1 });
    expect(limited.status).toBe(429);
    expect(errorOf(limited.body).message).toContain('tokens per minute');
  });

  it('keeps subjects apart: one key over its budget does not stop another', async () => {
    const stopped = await keyWithLimits({ tokens_per_month: 10 });
    const free = await keyWithLimits({});
    expect((await chat(stopped.key, { prompt_tokens: 10, completion_tokens: 10 })).status).toBe(200);
    expect((await chat(stopped.key, { prompt_tokens: 1, completion_tokens: 1 })).status).toBe(402);
    expect((await chat(free.key, { prompt_tokens: 1, completion_tokens: 1 })).status).toBe(200);
  });
});
