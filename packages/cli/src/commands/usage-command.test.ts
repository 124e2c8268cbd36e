import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';
import { startCliTestServer, type CliTestServer } from '../testing/start-cli-test-server.ts';

interface UsagePage {
  object: string;
  data: Array<{
    start_time: number;
    end_time: number;
    results: Array<{
      input_tokens: number;
      output_tokens: number;
      num_model_requests: number;
      model?: string;
    }>;
  }>;
}

describe('plumb usage', () => {
  let server: CliTestServer;
  const run = (args: string[]) => runCapturedProgram(args, { environment: server.environment });

  beforeAll(async () => {
    server = await startCliTestServer();
    server.scripted.enqueue({ text: 'Hello there', usage: { prompt_tokens: 12, completion_tokens: 30 } });
    const chat = await run(['chat', '--model', server.model, '--mode', 'chat', '--once', 'hi']);
    expect(chat.exitCode).toBe(0);
  });
  afterAll(async () => server.close());

  it('prints the raw page with --json, with the chat turn just served', async () => {
    const result = await run([
      'usage',
      '--bucket',
      '1h',
      '--start',
      String(Math.floor(Date.now() / 1000) - 3600),
      '--group-by',
      'model',
      '--json',
    ]);
    expect(result.exitCode).toBe(0);
    const page = JSON.parse(result.stdout) as UsagePage;
    expect(page.object).toBe('page');
    const results = page.data.flatMap((bucket) => bucket.results);
    expect(results).toEqual([
      expect.objectContaining({
        model: server.model,
        input_tokens: 12,
        output_tokens: 30,
        num_model_requests: 1,
      }),
    ]);
  });

  it('prints a table per bucket and a total line', async () => {
    const result = await run(['usage', '--group-by', 'model,operation']);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ \.\. \d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(lines[1]).toMatch(/^MODEL\s+OPERATION\s+REQUESTS\s+TOKENS IN\s+TOKENS OUT\s+CU\s+COST USD$/);
    expect(result.stdout).toMatch(
      /^scripted\/scripted-model\s+chat\.completions\s+1\s+12\s+30\s+0\s+0\.000000$/m,
    );
    expect(result.stdout).toMatch(/^TOTAL .*: 1 requests, 12 tokens in, 30 tokens out, 0 CU, \$0\.000000$/m);
  });

  it('says so when a period has no usage', async () => {
    const result = await run(['usage', '--start', '2020-01-01', '--end', '2020-01-02']);
    expect(result).toMatchObject({
      exitCode: 0,
      stdout: 'No usage in 2020-01-01T00:00Z .. 2020-01-02T00:00Z.\n',
    });
  });

  it('estimates the price of a prompt', async () => {
    const result = await run([
      'usage',
      'estimate',
      '--model',
      server.model,
      '--mode',
      'chat',
      'Write fizzbuzz',
      '--max-tokens',
      '200',
      '--json',
    ]);
    expect(result.exitCode).toBe(0);
    const estimate = JSON.parse(result.stdout) as {
      model: string;
      prompt_tokens: number;
      max_completion_tokens: number;
      estimated_cost_usd: number;
    };
    expect(estimate).toMatchObject({
      model: server.model,
      max_completion_tokens: 200,
      estimated_cost_usd: 0,
    });
    expect(estimate.prompt_tokens).toBeGreaterThan(4);
    const text = await run(['usage', 'estimate', '--model', server.model, 'Write fizzbuzz']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^output tokens: +1024 at most$/m);
    expect(text.stderr).toContain('No max_tokens given');
  });

  it('prints the rate card', async () => {
    const json = await run(['usage', 'rate-card', '--json']);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      object: 'rate_card',
      operations: { 'debug.step': { rate: 0.01 } },
    });
    const table = await run(['usage', 'rate-card']);
    expect(table.stdout).toMatch(/^OPERATION\s+CU PER UNIT\s+UNIT\s+MINIMUM\s+UNITS\/S$/m);
    expect(table.stdout).toMatch(/^debug\.step\s+0\.01\s+debugger step\s+1\s+1$/m);
  });

  it('exits 2 for unreadable dates, buckets and groups, and 1 for what the server refuses', async () => {
    const date = await run(['usage', '--start', 'yesterday-ish']);
    expect(date.exitCode).toBe(2);
    expect(date.stderr).toContain('ISO date');
    expect((await run(['usage', '--bucket', '1w'])).exitCode).toBe(2);
    const group = await run(['usage', '--group-by', 'model,region']);
    expect(group.exitCode).toBe(2);
    expect(group.stderr).toContain('Unknown group region');
    const tooMany = await run(['usage', '--bucket', '1h', '--start', '2020-01-01', '--end', '2020-03-01']);
    expect(tooMany.exitCode).toBe(1);
    expect(tooMany.stderr).toMatch(/^error invalid_request: At most 168 buckets/);
  });
});
