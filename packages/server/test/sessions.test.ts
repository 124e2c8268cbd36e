import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server.ts';

interface UpstreamBody {
  messages: Array<{ role: string; content: unknown }>;
}

describe('stateful sessions', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.plumb.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('keeps the conversation: three turns sending only the new message, surviving a restart', async () => {
    const created = await call('POST', '/v3/sessions', {
      messages: [{ role: 'system', content: 'Always use Python 3.12.' }],
      metadata: { project: 'demo' },
    });
    expect(created.status).toBe(201);
    const sessionId = created.body.id as string;
    expect(sessionId).toMatch(/^sess_/);

    const turn = async (content: string, answer: string, stream = false) => {
      server.scripted.enqueue({ text: answer });
      const response = await fetch(`${server.plumb.url}/v3/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: server.model,
          mode: 'code',
          session_id: sessionId,
          stream,
          messages: [{ role: 'user', content }],
        }),
      });
      expect(response.status).toBe(200);
      await response.text();
      return server.scripted.requests.at(-1)?.body as UpstreamBody;
    };

    await turn('first question', 'first answer');
    await turn('second question', 'second answer', true);
    expect(((await call('GET', `/v3/sessions/${sessionId}`)).body.messages as unknown[]).length).toBe(5);

    await server.restart();

    const third = await turn('third question', 'third answer');
    const texts = third.messages.map((message) => `${message.role}:${JSON.stringify(message.content)}`);
    // Code prompt first, then the session's own system message, then the whole history, then the new message.
    expect(third.messages[0]?.role).toBe('system');
    expect(texts.slice(1)).toEqual([
      'system:"Always use Python 3.12."',
      'user:"first question"',
      'assistant:"first answer"',
      'user:"second question"',
      'assistant:"second answer"',
      'user:"third question"',
    ]);

    const stored = await call('GET', `/v3/sessions/${sessionId}`);
    expect(stored.body).toMatchObject({ id: sessionId, object: 'session', metadata: { project: 'demo' } });
    expect((stored.body.messages as unknown[]).length).toBe(7);

    expect((await call('DELETE', `/v3/sessions/${sessionId}`)).body).toEqual({
      id: sessionId,
      object: 'session.deleted',
      deleted: true,
    });
    expect((await call('GET', `/v3/sessions/${sessionId}`)).status).toBe(404);
    expect((await call('DELETE', `/v3/sessions/${sessionId}`)).status).toBe(404);
  });

  it('leaves the session unchanged when the upstream fails', async () => {
    const sessionId = (await call('POST', '/v3/sessions', {})).body.id as string;
    server.scripted.enqueue({ error: { status: 500, message: 'boom' } });
    const failed = await call('POST', '/v3/chat/completions', {
      model: server.model,
      mode: 'chat',
      session_id: sessionId,
      messages: [{ role: 'user', content: 'hello?' }],
    });
    expect(failed.status).toBe(502);
    expect((await call('GET', `/v3/sessions/${sessionId}`)).body.messages).toEqual([]);
  });

  it('rejects bad session requests clearly', async () => {
    expect((await call('GET', '/v3/sessions/sess_unknown0000000')).body).toMatchObject({
      error: { code: 'session_not_found' },
    });
    expect((await call('POST', '/v3/sessions', { messages: 'nope' })).body).toMatchObject({
      error: { code: 'invalid_request', param: 'messages' },
    });
  });
});
