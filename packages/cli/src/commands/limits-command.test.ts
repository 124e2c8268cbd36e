import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedModelServer, type ScriptedModelServer } from '@plumb/models/testing';
import { allScopes } from '@plumb/protocol';
import { createApiKeyStore, loadConfig, startServer, type RunningServer } from '@plumb/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';

describe('plumb limits (on the data directory of a running server)', () => {
  let dataDirectory: string;
  let scripted: ScriptedModelServer;
  let server: RunningServer;
  const model = 'scripted/scripted-model';

  beforeAll(async () => {
    scripted = await startScriptedModelServer();
    dataDirectory = await mkdtemp(join(tmpdir(), 'plumb-limits-test-'));
    server = await startServer(
      loadConfig({
        environment: {},
        overrides: { port: 0, dataDirectory, logLevel: 'silent', models: [`${model}=${scripted.url}`] },
      }),
    );
  });
  afterAll(async () => {
    await server.close();
    await scripted.close();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const run = (args: string[], environment: Record<string, string> = {}) =>
    runCapturedProgram(args, { environment: { PLUMB_DATA_DIR: dataDirectory, ...environment } });

  it('sets and shows limits; set replaces every limit of the subject', async () => {
    const set = await run([
      'limits',
      'set',
      'client:ci-bot',
      '--requests-per-minute',
      '60',
      '--spend-usd-per-month',
      '12.5',
      '--json',
    ]);
    expect(set.exitCode).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      object: 'limits',
      billing_subject: 'client:ci-bot',
      requests_per_minute: 60,
      tokens_per_minute: null,
      tokens_per_month: null,
      compute_units_per_day: null,
      spend_nanos_per_month: 12_500_000_000,
      spend_usd_per_month: 12.5,
    });

    const shown = await run(['limits', 'show', 'client:ci-bot']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout.split('\n')[0]).toMatch(
      /^SUBJECT\s+REQUESTS\/MIN\s+TOKENS\/MIN\s+TOKENS\/MONTH\s+CU\/DAY\s+SPEND\/MONTH$/,
    );
    expect(shown.stdout).toMatch(/^client:ci-bot\s+60\s+-\s+-\s+-\s+\$12\.5$/m);

    const replaced = await run(['limits', 'set', 'client:ci-bot', '--tokens-per-month', '1000']);
    expect(replaced.exitCode).toBe(0);
    expect(replaced.stderr).toContain('within 5 s');
    const all = await run(['limits', 'show', '--json']);
    const list = JSON.parse(all.stdout) as { object: string; data: Array<Record<string, unknown>> };
    expect(list.data.find((limits) => limits.billing_subject === 'client:ci-bot')).toMatchObject({
      requests_per_minute: null,
      tokens_per_month: 1000,
      spend_nanos_per_month: null,
    });

    const missing = await run(['limits', 'show', 'key:nobody']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error not_found: No limits for "key:nobody"/);
  });

  it('stops a subject at its token budget: plumb chat gets quota_exceeded', async () => {
    const { apiKey, key } = await createApiKeyStore(server.storage).create({
      name: 'budgeted',
      scopes: allScopes,
    });
    const limited = await run(['limits', 'set', `key:${apiKey.id}`, '--tokens-per-month', '40']);
    expect(limited.exitCode).toBe(0);

    const remote = { PLUMB_URL: server.url, PLUMB_API_KEY: key };
    const chat = ['chat', '--model', model, '--mode', 'chat', '--once', 'hi'];
    scripted.enqueue({ text: 'first', usage: { prompt_tokens: 20, completion_tokens: 30 } });
    expect((await run(chat, remote)).exitCode).toBe(0);
    const refused = await run(chat, remote);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^error quota_exceeded: .*monthly budget of 40 tokens \(50 used\)/m);
  });

  it('exits 2 for bad numbers and subjects', async () => {
    const cases: Array<[string[], string]> = [
      [['client:x', '--requests-per-minute', '0'], 'at least 1'],
      [['client:x', '--tokens-per-month', '1e6'], 'not a whole number'],
      [['client:x', '--spend-usd-per-month', '-5'], 'not a number'],
      [['client:x', '--compute-units-per-day', 'lots'], 'not a number'],
      [['ci-bot', '--tokens-per-month', '10'], 'not a billing subject'],
    ];
    for (const [args, message] of cases) {
      const result = await run(['limits', 'set', ...args]);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });
});
