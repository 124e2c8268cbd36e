import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server.ts';

describe('migration path from the old code endpoints', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const removed: Array<{ method: string; path: string; body?: object; expectedModel: string }> = [
    {
      method: 'POST',
      path: '/v1/completions',
      body: { model: 'local/codegen', prompt: 'def add(a, b):', max_tokens: 64 },
      expectedModel: 'local/codegen',
    },
    {
      method: 'POST',
      path: '/v1/engines/code-davinci-002/completions',
      body: { prompt: 'function add(' },
      expectedModel: 'code-davinci-002',
    },
    {
      method: 'POST',
      path: '/v1/code/completions',
      body: { model: 'm/x', prompt: 'x' },
      expectedModel: 'm/x',
    },
    {
      method: 'POST',
      path: '/v2/code/generate',
      body: { model: 'm/y', instruction: 'write a parser', input: 'grammar' },
      expectedModel: 'm/y',
    },
    { method: 'GET', path: '/v2/code/models', expectedModel: '<provider/model-id from GET /v3/models>' },
  ];

  for (const endpoint of removed) {
    it(`${endpoint.method} ${endpoint.path} answers 410 with the equivalent /v3 body`, async () => {
      const response = await fetch(`${server.plumb.url}${endpoint.path}`, {
        method: endpoint.method,
        ...(endpoint.body
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(endpoint.body) }
          : {}),
      });
      expect(response.status).toBe(410);
      expect(response.headers.get('link')).toContain('rel="successor-version"');
      const body = (await response.json()) as {
        error: { code: string; message: string };
        migration: {
          method: string;
          path: string;
          body: { model: string; mode: string; messages: unknown[] };
        };
      };
      expect(body.error.code).toBe('endpoint_deprecated');
      expect(body.error.message).toContain('POST /v3/chat/completions');
      expect(body.migration).toMatchObject({ method: 'POST', path: '/v3/chat/completions' });
      expect(body.migration.body).toMatchObject({ model: endpoint.expectedModel, mode: 'code' });
      expect(body.error.message).toContain(JSON.stringify(body.migration.body));
    });
  }

  it('carries the prompt over so the migration body works as sent', async () => {
    const response = await fetch(`${server.plumb.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: server.model, prompt: 'def add(a, b):', max_tokens: 32, temperature: 0 }),
    });
    const { migration } = (await response.json()) as { migration: { body: object } };
    expect(migration.body).toEqual({
      model: server.model,
      mode: 'code',
      messages: [{ role: 'user', content: 'def add(a, b):' }],
      max_tokens: 32,
      temperature: 0,
    });
    server.scripted.enqueue({ text: '    return a + b' });
    const migrated = await fetch(`${server.plumb.url}/v3/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(migration.body),
    });
    expect(migrated.status).toBe(200);
  });

  it('still serves /v1/chat/completions in chat mode, with Deprecation, Sunset and Link headers', async () => {
    server.scripted.enqueue({ text: 'legacy ok' });
    const response = await fetch(`${server.plumb.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: server.model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(new Date(response.headers.get('sunset') ?? '').getTime()).toBeGreaterThan(Date.now());
    expect(response.headers.get('link')).toBe('</v3/chat/completions>; rel="successor-version"');
    const body = (await response.json()) as {
      choices: Array<{ message: { content: string } }>;
      plumb: { mode: string };
    };
    expect(body.choices[0]?.message.content).toBe('legacy ok');
    expect(body.plumb.mode).toBe('chat');
    // chat mode passes messages through: no code system prompt upstream
    const upstream = server.scripted.requests.at(-1)?.body as { messages: Array<{ role: string }> };
    expect(upstream.messages.map((message) => message.role)).toEqual(['user']);

    server.scripted.enqueue({ text: 'streamed legacy' });
    const streamed = await fetch(`${server.plumb.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: server.model,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(streamed.headers.get('sunset')).toBeTruthy();
    expect(streamed.headers.get('x-request-id')).toBeTruthy();
    expect(await streamed.text()).toContain('data: [DONE]');
  });
});
