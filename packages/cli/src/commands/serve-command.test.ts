import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedModelServer, type ScriptedModelServer } from '@plumb/models/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapturedProgram, startCapturedProgram } from '../testing/start-captured-program.ts';

describe('plumb serve', () => {
  let dataDirectory: string;
  let scripted: ScriptedModelServer;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'plumb-serve-test-'));
    scripted = await startScriptedModelServer();
  });
  afterAll(async () => {
    await scripted.close();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it('prints the listening line, answers /healthz, and closes gracefully on SIGTERM', async () => {
    const run = startCapturedProgram(
      [
        'serve',
        '--port',
        '0',
        '--data-dir',
        dataDirectory,
        '--log-level',
        'silent',
        '--model',
        `scripted/scripted-model=${scripted.url}`,
      ],
      { environment: {} },
    );
    const [line, url] = await run.waitForOutput(/^Plumb listening on (http:\/\/\S+) \(.*\)$/m);
    expect(line).toBe(`Plumb listening on ${url} (data: ${dataDirectory}, models: 1)`);
    expect(run.stderr()).not.toContain('No model is configured');

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    run.signals.emit('SIGTERM');
    expect(await run.exitCode).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(run.signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('names the ways to configure a model when there is none', async () => {
    const run = startCapturedProgram(
      ['serve', '--port', '0', '--data-dir', dataDirectory, '--log-level', 'silent'],
      {
        environment: {},
      },
    );
    await run.waitForOutput(/models: 0\)/);
    const hint = (
      await run.waitForOutput(/No model is configured[\s\S]*--model.*\n/, { stream: 'stderr' })
    )[0];
    for (const name of [
      'PLUMB_OPENAI_COMPATIBLE_BASE_URL',
      'PLUMB_OPENAI_COMPATIBLE_MODELS',
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
    ]) {
      expect(hint).toContain(name);
    }
    run.signals.emit('SIGINT');
    expect(await run.exitCode).toBe(0);
  });

  it('exits 1 at a second signal without waiting for the close', async () => {
    const run = startCapturedProgram(
      [
        'serve',
        '--port',
        '0',
        '--data-dir',
        dataDirectory,
        '--log-level',
        'silent',
        '--model',
        `scripted/scripted-model=${scripted.url}`,
        // No credentials needed for the stream below (and the flag's warning is checked).
        '--insecure-no-auth',
      ],
      { environment: {} },
    );
    const [, url] = await run.waitForOutput(/listening on (\S+)/);
    await run.waitForOutput(/WARNING: authentication is off/, { stream: 'stderr' });
    // A stream still running keeps the graceful close waiting (up to the grace period).
    scripted.enqueue({ text: 'slow answer '.repeat(50), tokensPerSecond: 20 });
    const abortController = new AbortController();
    const response = await fetch(`${url}/v3/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'scripted/scripted-model',
        mode: 'chat',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
      signal: abortController.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    try {
      run.signals.emit('SIGTERM');
      run.signals.emit('SIGTERM');
      expect(await run.exitCode).toBe(1);
      expect(run.stderr()).toContain('second signal');
    } finally {
      abortController.abort();
    }
  });

  it('exits 2 with the message on bad configuration', async () => {
    const result = await runCapturedProgram(
      ['serve', '--data-dir', dataDirectory, '--model', 'not-a-model-flag'],
      {
        environment: {},
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Cannot read --model "not-a-model-flag"');
  });

  it('exits 2 when --insecure-no-auth is asked for on a non-loopback host', async () => {
    const result = await runCapturedProgram(
      ['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDirectory, '--insecure-no-auth'],
      { environment: {} },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('only allowed on a loopback host');
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCapturedProgram(
        ['serve', '--port', String(port), '--data-dir', dataDirectory, '--log-level', 'silent'],
        { environment: {} },
      );
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
