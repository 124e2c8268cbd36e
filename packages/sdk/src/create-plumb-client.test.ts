import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '@plumb/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPlumbClient } from './create-plumb-client.ts';
import { PlumbApiError } from './plumb-api-error.ts';

interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

// A real HTTP server on an ephemeral port; each test installs the handler that plays the Plumb server.
let server: Server;
let baseUrl: string;
let handler: Handler = (_request, response) => {
  response.writeHead(500).end('no handler installed');
};
const requests: RecordedRequest[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(parts).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, response)).catch((error: unknown) =>
        response.destroy(error as Error),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

// Connections stay open between tests: closing them here races the client's keep-alive pool.
afterEach(() => {
  requests.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const chatRequest: ChatCompletionRequest = {
  model: 'scripted/scripted-model',
  mode: 'code',
  messages: [{ role: 'user', content: 'write add ✓' }],
};

const completion: ChatCompletion = {
  id: 'chatcmpl_1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'scripted/scripted-model',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'const add = (a, b) => a + b;', refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 },
  plumb: { mode: 'code', prompt_version: 'code-1', session_id: null, guards: [], warnings: [] },
};

function chunk(content: string, finishReason: 'stop' | null = null): ChatCompletionChunk {
  return {
    id: 'chatcmpl_2',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'scripted/scripted-model',
    choices: [{ index: 0, delta: { content }, finish_reason: finishReason }],
  };
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function startEventStream(response: ServerResponse, headers: Record<string, string> = {}) {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', ...headers });
  response.flushHeaders();
}

async function collectContent(stream: AsyncIterable<ChatCompletionChunk>): Promise<string> {
  let content = '';
  for await (const part of stream) content += part.choices[0]?.delta.content ?? '';
  return content;
}

async function catchError(promise: Promise<unknown>): Promise<PlumbApiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PlumbApiError);
  return error as PlumbApiError;
}

const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('createPlumbClient', () => {
  it('sends the JSON body, auth and extra headers, and parses the completion', async () => {
    handler = (_request, response) => sendJson(response, 200, completion, { 'x-request-id': 'req_1' });
    const client = createPlumbClient({
      baseUrl,
      apiKey: 'plumb_key',
      accessToken: 'oauth_token',
      headers: { 'x-trace': 'abc' },
    });

    const result = await client.chat.completions.create(chatRequest, { idempotencyKey: 'idem-1' });

    expect(result).toEqual(completion);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v3/chat/completions');
    expect(JSON.parse(request?.body ?? '')).toEqual(chatRequest);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer oauth_token');
    expect(request?.headers['idempotency-key']).toBe('idem-1');
    expect(request?.headers['x-trace']).toBe('abc');
  });

  it('sends the API key when there is no access token, and nothing without either', async () => {
    handler = (_request, response) => sendJson(response, 200, { object: 'list', data: [] });
    await createPlumbClient({ baseUrl, apiKey: 'plumb_key' }).models.list();
    await createPlumbClient({ baseUrl }).models.list();
    expect(requests.map((request) => request.headers.authorization)).toEqual(['Bearer plumb_key', undefined]);
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /v3/models',
      'GET /v3/models',
    ]);
  });

  it('reassembles the content of a streamed completion that ends with [DONE]', async () => {
    handler = (_request, response) => {
      startEventStream(response, { 'x-request-id': 'req_stream' });
      for (const part of ['Hello', ', wor', 'ld ✓ 🚀'])
        response.write(`data: ${JSON.stringify(chunk(part))}\n\n`);
      response.write(`data: ${JSON.stringify(chunk('', 'stop'))}\n\n`);
      response.end('data: [DONE]\n\n');
    };
    const client = createPlumbClient({ baseUrl });

    const stream = await client.chat.completions.create({ ...chatRequest, stream: true });

    expect(stream.requestId).toBe('req_stream');
    expect(await collectContent(stream)).toBe('Hello, world ✓ 🚀');
    expect(requests[0]?.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(requests[0]?.body ?? '')).toMatchObject({ stream: true });
  });

  it('parses events split across TCP writes at awkward boundaries (inside fields, newlines and UTF-8)', async () => {
    const parts = ['a', 'é', '🚀 emoji', '\n', 'ünïcode ✓', '"quoted"', 'end'];
    const wire =
      parts
        .map((part, index) => `${index % 2 ? 'data:' : 'data: '}${JSON.stringify(chunk(part))}`)
        .join('\n\n') +
      // A CRLF-terminated event and a comment line, both valid SSE.
      `\r\n\r\n: keep-alive\n\ndata: ${JSON.stringify(chunk('!'))}\r\n\r\ndata: [DONE]\n\n`;
    const bytes = Buffer.from(wire, 'utf8');
    const sizes = [1, 2, 3, 5, 7, 11, 13];
    let writes = 0;
    handler = async (_request, response) => {
      startEventStream(response);
      for (let offset = 0, step = 0; offset < bytes.length; step += 1) {
        const size = sizes[step % sizes.length] ?? 1;
        response.write(bytes.subarray(offset, offset + size));
        writes += 1;
        offset += size;
        // Give each piece its own TCP segment rather than letting Node coalesce them.
        if (step % 3 === 0) await wait(1);
      }
      response.end();
    };
    const client = createPlumbClient({ baseUrl });

    const stream = await client.chat.completions.create({ ...chatRequest, stream: true });

    expect(await collectContent(stream)).toBe(parts.join('') + '!');
    expect(writes).toBeGreaterThan(100);
  });

  it('raises an error event inside the stream as a PlumbApiError, after the chunks before it', async () => {
    handler = (_request, response) => {
      startEventStream(response, { 'x-request-id': 'req_broken' });
      response.write(`data: ${JSON.stringify(chunk('partial'))}\n\n`);
      const body = {
        error: {
          message: 'The model stopped answering.',
          type: 'upstream_error',
          param: null,
          code: 'upstream_timeout',
        },
      };
      response.end(`data: ${JSON.stringify(body)}\n\n`);
    };
    const stream = await createPlumbClient({ baseUrl }).chat.completions.create({
      ...chatRequest,
      stream: true,
    });
    const received: string[] = [];

    const error = await catchError(
      (async () => {
        for await (const part of stream) received.push(part.choices[0]?.delta.content ?? '');
      })(),
    );

    expect(received).toEqual(['partial']);
    expect(error.code).toBe('upstream_timeout');
    expect(error.type).toBe('upstream_error');
    expect(error.status).toBe(504);
    expect(error.message).toBe('The model stopped answering.');
    expect(error.requestId).toBe('req_broken');
  });

  it('reports a stream that ends without [DONE] instead of passing it off as complete', async () => {
    handler = (_request, response) => {
      startEventStream(response);
      response.end(`data: ${JSON.stringify(chunk('cut'))}\n\n`);
    };
    const stream = await createPlumbClient({ baseUrl }).chat.completions.create({
      ...chatRequest,
      stream: true,
    });
    const error = await catchError(collectContent(stream));
    expect(error.code).toBe('stream_incomplete');
  });

  it('turns a 4xx error body into PlumbApiError fields, with the request id from x-request-id', async () => {
    handler = (_request, response) =>
      sendJson(
        response,
        404,
        {
          error: {
            message: 'No session "sess_missing00". Create one with POST /v3/sessions.',
            type: 'not_found_error',
            param: 'id',
            code: 'session_not_found',
          },
        },
        { 'x-request-id': 'req_404' },
      );

    const error = await catchError(createPlumbClient({ baseUrl }).sessions.get('sess_missing00'));

    expect(error).toMatchObject({
      name: 'PlumbApiError',
      status: 404,
      code: 'session_not_found',
      type: 'not_found_error',
      param: 'id',
      requestId: 'req_404',
      message: 'No session "sess_missing00". Create one with POST /v3/sessions.',
    });
    expect(error.headers.get('content-type')).toContain('application/json');
  });

  it('handles a non-JSON 502 body, quoting its start', async () => {
    const page = `<html><body>Bad Gateway ${'x'.repeat(500)}</body></html>`;
    handler = (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html', 'x-request-id': 'req_proxy' });
      response.end(page);
    };

    const error = await catchError(createPlumbClient({ baseUrl }).models.list());

    expect(error.status).toBe(502);
    expect(error.code).toBe('http_error');
    expect(error.requestId).toBe('req_proxy');
    expect(error.message).toContain('502');
    expect(error.message).toContain(page.slice(0, 200));
    expect(error.message).not.toContain(page.slice(0, 201));
  });

  it('reports connection refused as connection_error naming the baseUrl and `plumb serve`', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const error = await catchError(createPlumbClient({ baseUrl: deadUrl }).models.list());

    expect(error.status).toBe(0);
    expect(error.code).toBe('connection_error');
    expect(error.message).toContain(deadUrl);
    expect(error.message).toContain('plumb serve');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('times out with request_timeout when the server never answers', async () => {
    handler = () => undefined;
    const error = await catchError(createPlumbClient({ baseUrl, timeoutMs: 100 }).models.list());
    expect(error.code).toBe('request_timeout');
    expect(error.status).toBe(0);
  });

  it('rejects with the AbortError, not a PlumbApiError, when the caller aborts a request', async () => {
    handler = () => undefined;
    const controller = new AbortController();
    const pending = createPlumbClient({ baseUrl }).models.list({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('abort() stops a stream: the loop ends quietly and the server sees the connection close', async () => {
    let serverSawClose!: () => void;
    const closedOnServer = new Promise<void>((resolve) => (serverSawClose = resolve));
    handler = async (_request, response) => {
      response.on('close', serverSawClose);
      startEventStream(response);
      for (let index = 0; !response.destroyed && index < 1000; index += 1) {
        response.write(`data: ${JSON.stringify(chunk(`${index} `))}\n\n`);
        await wait(10);
      }
      response.end('data: [DONE]\n\n');
    };
    const stream = await createPlumbClient({ baseUrl }).chat.completions.create({
      ...chatRequest,
      stream: true,
    });

    const received: string[] = [];
    for await (const part of stream) {
      received.push(part.choices[0]?.delta.content ?? '');
      if (received.length === 3) stream.abort();
    }

    expect(received).toEqual(['0 ', '1 ', '2 ']);
    await closedOnServer;
  });

  it('closes the connection when the caller breaks out of the loop, and aborts through a signal', async () => {
    let closes = 0;
    handler = async (_request, response) => {
      response.on('close', () => (closes += 1));
      startEventStream(response);
      for (let index = 0; !response.destroyed && index < 1000; index += 1) {
        response.write(`data: ${JSON.stringify(chunk('tick'))}\n\n`);
        await wait(10);
      }
    };
    const client = createPlumbClient({ baseUrl });

    const first = await client.chat.completions.create({ ...chatRequest, stream: true });
    for await (const _part of first) break;

    const controller = new AbortController();
    const second = await client.chat.completions.create(
      { ...chatRequest, stream: true },
      { signal: controller.signal },
    );
    let count = 0;
    for await (const _part of second) if (++count === 2) controller.abort();

    expect(count).toBe(2);
    await expect.poll(() => closes).toBe(2);
  });

  it('normalises a baseUrl ending in /v3/ and reaches the route once', async () => {
    handler = (_request, response) => sendJson(response, 200, { object: 'list', data: [] });
    const client = createPlumbClient({ baseUrl: `${baseUrl}/v3/` });

    expect(client.baseUrl).toBe(baseUrl);
    expect(await client.models.list()).toEqual({ object: 'list', data: [] });
    expect(requests[0]?.url).toBe('/v3/models');
  });

  it('URL-encodes session ids, and creates sessions with a JSON body', async () => {
    handler = (request, response) =>
      request.method === 'DELETE'
        ? sendJson(response, 200, { id: 'sess_a/b c?', object: 'session.deleted', deleted: true })
        : sendJson(response, 201, { id: 'sess_12345678', object: 'session', messages: [] });
    const client = createPlumbClient({ baseUrl });

    const deleted = await client.sessions.delete('sess_a/b c?');
    const created = await client.sessions.create({ mode: 'code', metadata: { project: 'plumb' } });

    expect(deleted.deleted).toBe(true);
    expect(created.id).toBe('sess_12345678');
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'DELETE /v3/sessions/sess_a%2Fb%20c%3F',
      'POST /v3/sessions',
    ]);
    expect(JSON.parse(requests[1]?.body ?? '')).toEqual({ mode: 'code', metadata: { project: 'plumb' } });
  });

  it('request() reaches routes that are not wrapped yet', async () => {
    handler = (request, response) => sendJson(response, 200, { status: 'ok', echoed: request.body });
    const client = createPlumbClient({ baseUrl });

    const result = await client.request<{ status: string; echoed: string }>('POST', 'v3/debug/sessions', {
      a: 1,
    });

    expect(result).toEqual({ status: 'ok', echoed: '{"a":1}' });
    expect(requests[0]?.url).toBe('/v3/debug/sessions');
  });

  it('rejects a baseUrl that is not a URL with a message saying what to pass', () => {
    expect(() => createPlumbClient({ baseUrl: '127.0.0.1 8080' })).toThrow(/server root/);
    expect(() => createPlumbClient({ baseUrl: 'ftp://127.0.0.1:8080' })).toThrow(/http\(s\)/);
  });
});
