import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server.ts';

const prices = { input: 2, output: 8 }; // USD per 1M tokens

interface UsagePage {
  object: string;
  data: Array<{
    start_time: number;
    results: Array<{
      input_tokens: number;
      output_tokens: number;
      num_model_requests: number;
      cost_usd: number;
      model?: string;
    }>;
  }>;
}

describe('metering over real HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    const configFile = join(tmpdir(), `plumb-metering-${process.pid}-${Date.now()}.json`);
    await writeFile(
      configFile,
      JSON.stringify({ metering: { prices: { models: { '*': prices }, computeUnit: 0.01 } } }),
    );
    server = await startTestServer({ environment: { PLUMB_CONFIG: configFile } });
  });
  afterAll(async () => server.close());

  async function chat(body: object) {
    return fetch(`${server.plumb.url}/v3/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: server.model,
        mode: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
        ...body,
      }),
    });
  }

  async function usage(query = ''): Promise<UsagePage> {
    return (await (
      await fetch(`${server.plumb.url}/v3/usage?bucket=1d&group_by=model${query}`)
    ).json()) as UsagePage;
  }

  it('reports exactly the tokens and cost of what was served, streamed or not', async () => {
    let promptTokens = 0;
    let completionTokens = 0;
    for (let index = 0; index < 6; index += 1) {
      const streamed = index % 2 === 1;
      server.scripted.enqueue({
        text: `answer number ${index} `.repeat(index + 1),
        usage: { prompt_tokens: 10 + index, completion_tokens: 20 + index },
      });
      const response = await chat(streamed ? { stream: true, stream_options: { include_usage: true } } : {});
      expect(response.status).toBe(200);
      if (streamed) {
        const text = await response.text();
        const usageLine = text.split('\n').find((line) => line.includes('"usage":{'));
        const chunk = JSON.parse(usageLine!.slice('data: '.length)) as {
          usage: { prompt_tokens: number; completion_tokens: number };
        };
        promptTokens += chunk.usage.prompt_tokens;
        completionTokens += chunk.usage.completion_tokens;
      } else {
        const body = (await response.json()) as {
          usage: { prompt_tokens: number; completion_tokens: number };
        };
        promptTokens += body.usage.prompt_tokens;
        completionTokens += body.usage.completion_tokens;
      }
    }
    expect(promptTokens).toBe(10 + 11 + 12 + 13 + 14 + 15);

    const report = await usage();
    const results = report.data.flatMap((bucket) => bucket.results);
    const total = results.reduce(
      (sum, result) => ({
        input: sum.input + result.input_tokens,
        output: sum.output + result.output_tokens,
        requests: sum.requests + result.num_model_requests,
        cost: sum.cost + result.cost_usd,
      }),
      { input: 0, output: 0, requests: 0, cost: 0 },
    );
    expect(report.object).toBe('page');
    expect(total).toEqual({
      input: promptTokens,
      output: completionTokens,
      requests: 6,
      cost: expect.closeTo(
        (promptTokens * prices.input + completionTokens * prices.output) / 1e6,
        12,
      ) as number,
    });
    expect(results.every((result) => result.model === server.model)).toBe(true);
  });

  it('never meters an idempotent replay twice', async () => {
    const requests = async () =>
      (await usage()).data
        .flatMap((bucket) => bucket.results)
        .reduce((sum, result) => sum + result.num_model_requests, 0);
    const before = await requests();
    server.scripted.enqueue({ text: 'once', usage: { prompt_tokens: 5, completion_tokens: 5 } });
    for (let index = 0; index < 2; index += 1) {
      await (await chat({ messages: [{ role: 'user', content: 'plain' }] })).text();
    }
    const keyed = async () =>
      fetch(`${server.plumb.url}/v3/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'metering-replay-1' },
        body: JSON.stringify({
          model: server.model,
          mode: 'chat',
          messages: [{ role: 'user', content: 'pay once' }],
        }),
      });
    server.scripted.enqueue({ text: 'paid', usage: { prompt_tokens: 7, completion_tokens: 3 } });
    const first = await keyed();
    expect(first.status).toBe(200);
    await first.text();
    const replay = await keyed();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await replay.text();
    // two plain requests + one keyed request; the replay adds nothing
    expect(await requests()).toBe(before + 3);
  });

  it('prices a request before it runs', async () => {
    const response = await fetch(`${server.plumb.url}/v3/usage/estimate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: server.model,
        mode: 'chat',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hello world' }],
      }),
    });
    const estimate = (await response.json()) as {
      prompt_tokens: number;
      max_completion_tokens: number;
      estimated_cost_usd: number;
    };
    expect(estimate.max_completion_tokens).toBe(100);
    expect(estimate.prompt_tokens).toBeGreaterThan(0);
    expect(estimate.estimated_cost_usd).toBeCloseTo(
      (estimate.prompt_tokens * prices.input + 100 * prices.output) / 1e6,
      12,
    );
  });

  it('rejects bad usage queries clearly', async () => {
    const wrongBucket = await fetch(`${server.plumb.url}/v3/usage?bucket=1w`);
    expect(wrongBucket.status).toBe(400);
    const tooMany = await fetch(`${server.plumb.url}/v3/usage?bucket=1h&start=0`);
    expect(((await tooMany.json()) as { error: { code: string; param: string } }).error).toMatchObject({
      code: 'invalid_request',
      param: 'bucket',
    });
    const unknownGroup = await fetch(`${server.plumb.url}/v3/usage?group_by=planet`);
    expect(unknownGroup.status).toBe(400);
  });

  it('stops a subject at the first request past its token budget, and rate-limits requests', async () => {
    const setLimits = async (limits: object) =>
      fetch(`${server.plumb.url}/v3/admin/limits/anonymous`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(limits),
      });
    const used = (await usage()).data
      .flatMap((bucket) => bucket.results)
      .reduce((sum, result) => sum + result.input_tokens + result.output_tokens, 0);
    expect((await setLimits({ tokens_per_month: used + 1000 })).status).toBe(200);
    // Limits are cached for a few seconds per process; a fresh subject reads them at once.
    await new Promise((resolve) => setTimeout(resolve, 5100));

    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      server.scripted.enqueue({ text: 'x', usage: { prompt_tokens: 300, completion_tokens: 300 } });
      const response = await chat({});
      statuses.push(response.status);
      if (response.status === 402) {
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('quota_exceeded');
      } else {
        await response.text();
      }
    }
    // 600 used (under), 1200 (crossed during this request), then refused.
    expect(statuses).toEqual([200, 200, 402, 402]);

    // The two admitted requests above count in this minute's window: a limit of 3 admits one more.
    await setLimits({ requests_per_minute: 3 });
    await new Promise((resolve) => setTimeout(resolve, 5100));
    server.scripted.enqueue({ text: 'ok' });
    expect((await chat({})).status).toBe(200);
    const limited = await chat({});
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 20_000);
});
