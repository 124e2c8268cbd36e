import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateTokenCount } from '@plumb/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeInvoice } from '../src/metering/recompute-invoice.ts';
import { readLedger } from './read-ledger.ts';
import { startTestServer, type TestServer } from './start-test-server.ts';

const prices = { input: 2, output: 8 }; // USD per 1M tokens, so a token costs 2,000 or 8,000 nano-dollars

interface UsageResult {
  input_tokens: number;
  output_tokens: number;
  num_model_requests: number;
  cost_usd: number;
}

describe('metering reconciliation over real HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    const configFile = join(tmpdir(), `plumb-reconciliation-${process.pid}-${Date.now()}.json`);
    await writeFile(configFile, JSON.stringify({ metering: { prices: { models: { '*': prices } } } }));
    server = await startTestServer({ environment: { PLUMB_CONFIG: configFile } });
  });
  afterAll(async () => server.close());

  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(`${server.plumb.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  async function reportTotals() {
    const page = (await (await fetch(`${server.plumb.url}/v3/usage?bucket=1d&group_by=model`)).json()) as {
      data: Array<{ results: UsageResult[] }>;
    };
    return page.data
      .flatMap((bucket) => bucket.results)
      .reduce(
        (sum, result) => ({
          input: sum.input + result.input_tokens,
          output: sum.output + result.output_tokens,
          requests: sum.requests + result.num_model_requests,
          costNanos: sum.costNanos + Math.round(result.cost_usd * 1e9),
        }),
        { input: 0, output: 0, requests: 0, costNanos: 0 },
      );
  }

  it('reports exactly what N mixed requests cost, replays included once, and the ledger recomputes to it', async () => {
    const before = await reportTotals();
    const upstreamBefore = server.scripted.requests.length;
    const expected = { input: 0, output: 0, requests: 0, costNanos: 0 };
    const count = 10;
    for (let index = 0; index < count; index += 1) {
      const streamed = index % 2 === 1;
      const keyed = index % 3 === 0;
      const usage = { prompt_tokens: 11 + index * 7, completion_tokens: 5 + index * 3 };
      server.scripted.enqueue({ text: `answer ${index}`, usage });
      const body = {
        model: server.model,
        mode: 'chat',
        messages: [{ role: 'user', content: `question ${index}` }],
        ...(streamed ? { stream: true, stream_options: { include_usage: index % 4 === 1 } } : {}),
      };
      const headers: Record<string, string> = { 'x-request-id': `reconcile-${index}` };
      if (keyed) headers['idempotency-key'] = `reconcile-key-${index}`;
      const first = await post('/v3/chat/completions', body, headers);
      expect(first.status).toBe(200);
      const firstText = await first.text();
      if (keyed) {
        const replay = await post('/v3/chat/completions', body, headers);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(await replay.text()).toBe(firstText);
      }
      expected.input += usage.prompt_tokens;
      expected.output += usage.completion_tokens;
      expected.requests += 1;
      expected.costNanos += usage.prompt_tokens * 2_000 + usage.completion_tokens * 8_000;
    }

    // Replays never reached the model, and were never metered.
    expect(server.scripted.requests.length - upstreamBefore).toBe(count);
    const after = await reportTotals();
    expect({
      input: after.input - before.input,
      output: after.output - before.output,
      requests: after.requests - before.requests,
      costNanos: after.costNanos - before.costNanos,
    }).toEqual(expected);

    const events = (await readLedger(server)).filter((event) => event.request_id.startsWith('reconcile-'));
    expect(events).toHaveLength(count);
    expect(events.map((event) => event.streamed).sort()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const invoice = recomputeInvoice(events);
    expect(invoice.lines.every((line) => line.matchesStored)).toBe(true);
    expect(invoice.costNanos).toBe(expected.costNanos);
    expect(invoice.promptTokens).toBe(expected.input);
  });

  it('estimates the price a request is then charged when the usage matches', async () => {
    const body = {
      model: server.model,
      mode: 'code',
      max_tokens: 40,
      messages: [{ role: 'user', content: 'Explain what a closure is in one paragraph.' }],
    };
    const estimate = (await (await post('/v3/usage/estimate', body)).json()) as {
      prompt_tokens: number;
      max_completion_tokens: number;
      estimated_cost_usd: number;
    };
    expect(estimate.max_completion_tokens).toBe(40);

    // The provider reports exactly the estimated usage: same price.
    server.scripted.enqueue({
      text: 'A closure keeps the variables of its scope.',
      usage: { prompt_tokens: estimate.prompt_tokens, completion_tokens: 40 },
    });
    const charged = await post('/v3/chat/completions', body, { 'x-request-id': 'estimate-provider' });
    expect(charged.status).toBe(200);
    await charged.text();

    // The provider reports nothing: Plumb counts the prompt exactly as the estimate did.
    const answer = 'A closure is a function bundled with the variables of the scope it was created in.';
    const answerTokens = estimateTokenCount(answer);
    const tokenizerBody = { ...body, max_tokens: answerTokens };
    const tokenizerEstimate = (await (await post('/v3/usage/estimate', tokenizerBody)).json()) as {
      prompt_tokens: number;
      estimated_cost_usd: number;
    };
    server.scripted.enqueue({ text: answer, usage: null });
    const counted = await post('/v3/chat/completions', tokenizerBody, {
      'x-request-id': 'estimate-tokenizer',
    });
    expect(counted.status).toBe(200);
    await counted.text();

    const events = await readLedger(server);
    const byRequest = (id: string) => events.find((event) => event.request_id === id);
    expect(byRequest('estimate-provider')?.cost_nanos).toBe(Math.round(estimate.estimated_cost_usd * 1e9));
    expect(byRequest('estimate-tokenizer')).toMatchObject({
      token_source: 'tokenizer',
      prompt_tokens: tokenizerEstimate.prompt_tokens,
      completion_tokens: answerTokens,
      cost_nanos: Math.round(tokenizerEstimate.estimated_cost_usd * 1e9),
    });
  });
});
