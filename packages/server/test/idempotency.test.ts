import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthTestServer } from './auth-test-server.ts';
import { startTestServer, type TestServer } from './start-test-server.ts';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function post(url: string, body: object, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${url}/v3/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('Idempotency-Key', () => {
  let server: TestServer;
  let keyNumber = 0;
  const newKey = () => `test-key-${(keyNumber += 1)}`;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const chat = (content: string, extra: object = {}) => ({
    model: server.model,
    mode: 'chat',
    messages: [{ role: 'user', content }],
    ...extra,
  });
  const call = (body: object, key: string) => post(server.plumb.url, body, { 'idempotency-key': key });

  it('replays a completed JSON answer without calling the model again', async () => {
    const key = newKey();
    server.scripted.enqueue({ text: 'first and only answer' });
    const first = await call(chat('hello'), key);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const upstreamCalls = server.scripted.requests.length;

    // Same body with the keys in another order: the canonical hash matches.
    const { messages, model, mode } = chat('hello') as { messages: unknown; model: string; mode: string };
    const second = await call({ messages, mode, model }, key);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('content-type')).toContain('application/json');
    expect(second.text).toBe(first.text);
    expect(server.scripted.requests.length).toBe(upstreamCalls);
  });

  it('replays a streamed answer as the same server-sent events', async () => {
    const key = newKey();
    server.scripted.enqueue({ text: 'streamed once, replayed after' });
    const first = await call(chat('stream it', { stream: true }), key);
    expect(first.status).toBe(200);
    expect(first.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const upstreamCalls = server.scripted.requests.length;

    const second = await call(chat('stream it', { stream: true }), key);
    expect(second.status).toBe(200);
    expect(second.headers.get('content-type')).toContain('text/event-stream');
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.text).toBe(first.text);
    expect(server.scripted.requests.length).toBe(upstreamCalls);
  });

  it('refuses the same key with a different body (422)', async () => {
    const key = newKey();
    expect((await call(chat('one question'), key)).status).toBe(200);
    const reused = await call(chat('another question'), key);
    expect(reused.status).toBe(422);
    const error = (JSON.parse(reused.text) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('idempotency_key_reused');
    expect(error.message).toContain('new key');
  });

  it('runs exactly one of two concurrent requests with one key; the other gets 409', async () => {
    const key = newKey();
    const upstreamCalls = server.scripted.requests.length;
    server.scripted.enqueue({ text: 'slow answer', latencyMs: 500 });
    const first = call(chat('slow'), key);
    await sleep(100);
    const second = await call(chat('slow'), key);
    expect(second.status).toBe(409);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(second.text)).toMatchObject({ error: { code: 'idempotency_key_in_flight' } });
    expect((await first).status).toBe(200);
    expect(server.scripted.requests.length).toBe(upstreamCalls + 1);
  });

  it('releases the key when the first attempt fails with a 5xx, so a retry runs', async () => {
    const key = newKey();
    server.scripted.enqueue({ error: { status: 500, message: 'kv cache exhausted' } });
    expect((await call(chat('retry me'), key)).status).toBe(502);
    const upstreamCalls = server.scripted.requests.length;
    server.scripted.enqueue({ text: 'second time lucky' });
    const retry = await call(chat('retry me'), key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.text).toContain('second time lucky');
    expect(server.scripted.requests.length).toBe(upstreamCalls + 1);
  });

  it('releases the key when a stream fails midway', async () => {
    const key = newKey();
    server.scripted.enqueue({ text: 'one two three four', errorAfterChunks: 2 });
    const failed = await call(chat('stream fails', { stream: true }), key);
    expect(failed.text).toContain('"error"');
    // The release happens when the connection closes, just after the client saw the end of the stream.
    await sleep(100);
    server.scripted.enqueue({ text: 'complete this time' });
    const retry = await call(chat('stream fails', { stream: true }), key);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('rejects malformed keys with 400 invalid_request', async () => {
    // Too long, and a control character (fetch refuses non-ASCII header values itself).
    for (const key of ['x'.repeat(256), 'tab\there']) {
      const response = await post(server.plumb.url, chat('hi'), { 'idempotency-key': key });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({
        error: { code: 'invalid_request', param: 'Idempotency-Key' },
      });
    }
  });

  it('runs requests without the header as usual', async () => {
    const upstreamCalls = server.scripted.requests.length;
    expect((await post(server.plumb.url, chat('plain'))).status).toBe(200);
    expect((await post(server.plumb.url, chat('plain'))).status).toBe(200);
    expect(server.scripted.requests.length).toBe(upstreamCalls + 2);
  });
});

describe('Idempotency-Key expiry', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ environment: { PLUMB_IDEMPOTENCY_TTL_SECONDS: '1' } });
  });
  afterAll(async () => server.close());

  it('treats an expired key as new', async () => {
    const body = { model: server.model, mode: 'chat', messages: [{ role: 'user', content: 'hi' }] };
    const headers = { 'idempotency-key': 'expiring-key' };
    expect((await post(server.plumb.url, body, headers)).status).toBe(200);
    const upstreamCalls = server.scripted.requests.length;
    await sleep(1_100);
    const later = await post(
      server.plumb.url,
      { ...body, messages: [{ role: 'user', content: 'new' }] },
      headers,
    );
    expect(later.status).toBe(200);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(server.scripted.requests.length).toBe(upstreamCalls + 1);
  });
});

describe('Idempotency-Key with authentication', () => {
  it('keeps keys per billing subject', async () => {
    const auth = await startAuthTestServer();
    try {
      const [firstKey, secondKey] = [await auth.createKey(), await auth.createKey()];
      const body = { model: auth.model, mode: 'chat', messages: [{ role: 'user', content: 'hi' }] };
      const as = (token: string, content: string) =>
        post(
          auth.url,
          { ...body, messages: [{ role: 'user', content }] },
          {
            authorization: `Bearer ${token}`,
            'idempotency-key': 'shared-key',
          },
        );
      expect((await as(firstKey, 'from the first caller')).status).toBe(200);
      // Another subject's identical key is a different key: it runs, even with another body.
      const other = await as(secondKey, 'from the second caller');
      expect(other.status).toBe(200);
      expect(other.headers.get('idempotent-replayed')).toBeNull();
      expect((await as(firstKey, 'from the first caller')).headers.get('idempotent-replayed')).toBe('true');
      expect((await as(secondKey, 'from the first caller')).status).toBe(422);
    } finally {
      await auth.close();
    }
  });
});
