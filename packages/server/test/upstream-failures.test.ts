import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.ts';
import { startServer } from '../src/start-server.ts';
import { startTestServer, type TestServer } from './start-test-server.ts';

describe('upstream failures', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ environment: { PLUMB_UPSTREAM_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => server.close());

  async function complete(body: object = {}) {
    const response = await fetch(`${server.plumb.url}/v3/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: server.model,
        mode: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
        ...body,
      }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { error: { code: string; message: string } },
    };
  }

  it('maps an upstream 500 to 502 upstream_error with the provider message', async () => {
    server.scripted.enqueue({ error: { status: 500, message: 'kv cache exhausted' } });
    const response = await complete();
    expect(response.status).toBe(502);
    expect(response.body.error).toMatchObject({ code: 'upstream_error' });
    expect(response.body.error.message).toContain('kv cache exhausted');
  });

  it('maps an upstream 503 to 503 upstream_unavailable', async () => {
    server.scripted.enqueue({ error: { status: 503, message: 'loading model' } });
    const response = await complete();
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('upstream_unavailable');
  });

  it('maps a slow upstream to 504 upstream_timeout (streamed or not)', async () => {
    server.scripted.enqueue({ text: 'too late', latencyMs: 3000 });
    const response = await complete();
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe('upstream_timeout');
    server.scripted.enqueue({ text: 'too late', latencyMs: 3000 });
    const streamed = await complete({ stream: true });
    expect(streamed.status).toBe(504);
  });

  it('maps a hang-up to 503 upstream_unavailable', async () => {
    server.scripted.enqueue({ hangUp: true });
    const response = await complete();
    expect([502, 503]).toContain(response.status);
    expect(['upstream_unavailable', 'upstream_error']).toContain(response.body.error.code);
  });

  it('aborts the upstream stream when the client disconnects', async () => {
    const before = server.scripted.abortedStreams;
    server.scripted.enqueue({ text: 'word '.repeat(2000), tokensPerSecond: 200 });
    const controller = new AbortController();
    const response = await fetch(`${server.plumb.url}/v3/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: server.model,
        mode: 'chat',
        stream: true,
        messages: [{ role: 'user', content: 'long' }],
      }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const deadline = Date.now() + 3000;
    while (server.scripted.abortedStreams === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(server.scripted.abortedStreams).toBe(before + 1);
    // and Plumb keeps serving
    server.scripted.enqueue({ text: 'fine' });
    expect((await complete()).status).toBe(200);
  });
});

describe('an upstream that is not there', () => {
  let closedPort: number;
  let blocker: Server;

  beforeAll(async () => {
    // Reserve a port, then close it, so connecting to it is refused.
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    closedPort = (blocker.address() as { port: number }).port;
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('answers 503 upstream_unavailable naming the host', async () => {
    const plumb = await startServer(
      loadConfig({
        environment: {},
        overrides: {
          port: 0,
          logLevel: 'silent',
          dataDirectory: await mkdtemp(join(tmpdir(), 'plumb-test-')),
          models: [`gone/model=http://127.0.0.1:${closedPort}/v1`],
          insecureNoAuth: true,
        },
      }),
    );
    try {
      const response = await fetch(`${plumb.url}/v3/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gone/model',
          mode: 'code',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(response.status).toBe(503);
      expect(body.error.code).toBe('upstream_unavailable');
      expect(body.error.message).toContain(`127.0.0.1:${closedPort}`);
    } finally {
      await plumb.close();
    }
  });
});
