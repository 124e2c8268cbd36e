import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server.ts';

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

describe('bad input to /v3/chat/completions', () => {
  let server: TestServer;
  const valid = () => ({ model: server.model, mode: 'code', messages: [{ role: 'user', content: 'hi' }] });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  async function post(body: string | object, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.plumb.url}/v3/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as ErrorBody, headers: response.headers };
  }

  const cases: Array<{
    name: string;
    body: () => string | object;
    status: number;
    code: string;
    param?: string | null;
    says: RegExp;
  }> = [
    {
      name: 'malformed JSON',
      body: () => '{"model": ',
      status: 400,
      code: 'invalid_json',
      says: /not valid JSON/,
    },
    { name: 'empty body', body: () => '', status: 400, code: 'invalid_json', says: /empty/ },
    {
      name: 'JSON that is not an object',
      body: () => '[1,2]',
      status: 400,
      code: 'invalid_request',
      says: /JSON object/,
    },
    {
      name: 'missing mode',
      body: () => ({ ...valid(), mode: undefined }),
      status: 400,
      code: 'invalid_request',
      param: 'mode',
      says: /"mode" is required.*"mode": "code"/,
    },
    {
      name: 'unknown mode',
      body: () => ({ ...valid(), mode: 'poetry' }),
      status: 400,
      code: 'invalid_request',
      param: 'mode',
      says: /Invalid "mode"/,
    },
    {
      name: 'unknown model',
      body: () => ({ ...valid(), model: 'scripted/unknown-model' }),
      status: 404,
      code: 'model_not_found',
      param: 'model',
      says: /scripted\/scripted-model/,
    },
    {
      name: 'unknown provider',
      body: () => ({ ...valid(), model: 'nobody/x' }),
      status: 404,
      code: 'model_not_found',
      param: 'model',
      says: /nobody/,
    },
    {
      name: 'model without provider',
      body: () => ({ ...valid(), model: 'gpt-4o' }),
      status: 404,
      code: 'model_not_found',
      param: 'model',
      says: /provider\/model-id/,
    },
    {
      name: 'empty messages',
      body: () => ({ ...valid(), messages: [] }),
      status: 400,
      code: 'invalid_request',
      param: 'messages',
      says: /at least one message/,
    },
    {
      name: 'messages of the wrong type',
      body: () => ({ ...valid(), messages: 'hello' }),
      status: 400,
      code: 'invalid_request',
      param: 'messages',
      says: /messages/,
    },
    {
      name: 'unknown role',
      body: () => ({ ...valid(), messages: [{ role: 'wizard', content: 'x' }] }),
      status: 400,
      code: 'invalid_request',
      param: 'messages.0.role',
      says: /role/,
    },
    {
      name: 'temperature as a string',
      body: () => ({ ...valid(), temperature: 'hot' }),
      status: 400,
      code: 'invalid_request',
      param: 'temperature',
      says: /temperature/,
    },
    {
      name: 'temperature out of range',
      body: () => ({ ...valid(), temperature: 9 }),
      status: 400,
      code: 'invalid_request',
      param: 'temperature',
      says: /temperature/,
    },
    {
      name: 'max_tokens negative',
      body: () => ({ ...valid(), max_tokens: -5 }),
      status: 400,
      code: 'invalid_request',
      param: 'max_tokens',
      says: /max_tokens/,
    },
    {
      name: 'malformed session id',
      body: () => ({ ...valid(), session_id: "x' OR 1=1 --" }),
      status: 400,
      code: 'invalid_request',
      param: 'session_id',
      says: /POST \/v3\/sessions/,
    },
    {
      name: 'unknown session id',
      body: () => ({ ...valid(), session_id: 'sess_doesnotexist000' }),
      status: 404,
      code: 'session_not_found',
      param: 'session_id',
      says: /POST \/v3\/sessions/,
    },
    {
      name: 'tool arguments that are not JSON',
      body: () => ({
        ...valid(),
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{nope' } }],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'r' },
        ],
      }),
      status: 400,
      code: 'invalid_request',
      param: 'messages.0.tool_calls.0.function.arguments',
      says: /JSON/,
    },
    {
      name: '__proto__ pollution attempt',
      body: () => '{"model":"x","mode":"code","messages":[],"__proto__":{"admin":true}}',
      status: 400,
      code: 'invalid_json',
      says: /JSON/,
    },
  ];

  for (const testCase of cases) {
    it(`answers ${testCase.name} with ${testCase.status} ${testCase.code}`, async () => {
      const response = await post(testCase.body());
      expect(response.status).toBe(testCase.status);
      expect(response.body.error.code).toBe(testCase.code);
      if (testCase.param !== undefined) expect(response.body.error.param).toBe(testCase.param);
      expect(response.body.error.message).toMatch(testCase.says);
      expect(response.headers.get('x-request-id')).toBeTruthy();
    });
  }

  it('rejects a 10 MB body with 413 and keeps serving', async () => {
    const huge = { ...valid(), messages: [{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024) }] };
    const response = await post(huge);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    server.scripted.enqueue({ text: 'still here' });
    const after = await fetch(`${server.plumb.url}/v3/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(valid()),
    });
    expect(after.status).toBe(200);
    expect(
      ((await after.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message
        .content,
    ).toBe('still here');
  });

  it('rejects a non-JSON content type with 415', async () => {
    const response = await post('hello', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
  });

  it('answers unknown routes with 404 not_found in the OpenAI error shape', async () => {
    const response = await fetch(`${server.plumb.url}/v3/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.code).toBe('not_found');
  });

  it('echoes a sane x-request-id and replaces an unsafe one', async () => {
    const echoed = await post(valid(), { 'x-request-id': 'trace-123' });
    expect(echoed.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await post({}, { 'x-request-id': 'bad id\twith spaces' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/);
  });
});

describe('no model configured', () => {
  it('answers model_not_configured naming the environment variables, and /readyz says why', async () => {
    const server = await startTestServer({ noModels: true });
    try {
      const response = await fetch(`${server.plumb.url}/v3/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'local/anything',
          mode: 'code',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      const body = (await response.json()) as ErrorBody;
      expect(response.status).toBe(503);
      expect(body.error.code).toBe('model_not_configured');
      expect(body.error.message).toContain('PLUMB_OPENAI_COMPATIBLE_BASE_URL');
      expect(body.error.message).toContain('OPENAI_API_KEY');

      const health = await fetch(`${server.plumb.url}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${server.plumb.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not_ready', storage: { ok: true } });
    } finally {
      await server.close();
    }
  });
});
