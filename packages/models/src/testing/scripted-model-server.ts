import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeScriptedUsage } from './compute-scripted-usage.ts';
import { createChatCompletion, type ChatCompletionIdentity } from './create-chat-completion.ts';
import { createOpenAiErrorBody } from './create-openai-error-body.ts';
import { resolveScriptedTurn } from './resolve-scripted-turn.ts';
import {
  writeChatCompletionStream,
  type ChatCompletionStreamWriter,
} from './write-chat-completion-stream.ts';

export { splitIntoTokens } from './split-into-tokens.ts';

export interface ScriptedToolCall {
  /** Defaults to a generated `call_...` id. */
  id?: string;
  name: string;
  /** The JSON arguments exactly as the model would send them. */
  arguments: string;
}

/** One scripted answer to one chat completion request. */
export interface ScriptedTurn {
  /** Assistant content; default `''` when `toolCalls` are given, else `'OK'`. */
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Default: `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /**
   * Default: counted with `splitIntoTokens` over the request's message texts and the answer. `null`: report no
   * usage at all (like model servers without usage reporting), so the client has to count tokens itself.
   */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Answer with this HTTP error (OpenAI error JSON); with `errorAfterChunks`, the mid-stream error instead. */
  error?: { status: number; message: string; type?: string; code?: string };
  /** Streaming only: after this many content chunks send `data: {"error":{...}}` and end without `[DONE]`. */
  errorAfterChunks?: number;
  /** Delay before the response headers. */
  latencyMs?: number;
  /** Streaming pace; undefined or 0 sends everything at once (still as separate events). */
  tokensPerSecond?: number;
  /** Tokens per content chunk; default 1. */
  tokensPerChunk?: number;
  /** Destroy the socket without answering (after `latencyMs`). */
  hangUp?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** The request target as sent, query included. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when there is none. */
  body: unknown;
}

export interface ScriptedModelServerOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Consumed in order, one per chat completion request. */
  turns?: ScriptedTurn[];
  /** Used when the queue is empty; default `{ text: 'OK' }`. */
  defaultTurn?: ScriptedTurn | ((request: RecordedRequest) => ScriptedTurn);
  /** What `GET /v1/models` lists; default `['scripted-model']`. */
  models?: string[];
  /** Default true; benchmarks turn it off so memory stays flat. */
  recordRequests?: boolean;
}

export interface ScriptedModelServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every request received (any path), in arrival order, while `recordRequests` is on. */
  readonly requests: RecordedRequest[];
  enqueue(...turns: ScriptedTurn[]): void;
  /** Clears the turn queue and the recorded requests. */
  reset(): void;
  /** Number of in-flight streams whose client disconnected before the end (abort propagation tests). */
  readonly abortedStreams: number;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

const keepAliveTimeoutMs = 5_000;
// Benchmarks open 1,000 connections at once; the default backlog (511) would make some of them wait.
const listenBacklog = 4_096;

/**
 * Starts a real HTTP server that speaks the OpenAI chat completions protocol (JSON and SSE streaming, tool
 * calls, usage, errors) and answers with scripted turns: the stand-in for model weights in tests and
 * benchmarks.
 *
 * @example
 * const server = await startScriptedModelServer({ turns: [{ text: 'Hello there' }] });
 * const openai = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
 * await openai.chat.completions.create({ model: 'scripted-model', messages: [{ role: 'user', content: 'Hi' }] });
 * // choices[0].message.content === 'Hello there'; server.requests[0].body.messages[0].content === 'Hi'
 * await server.close();
 */
export async function startScriptedModelServer(
  options: ScriptedModelServerOptions = {},
): Promise<ScriptedModelServer> {
  const queue: ScriptedTurn[] = [...(options.turns ?? [])];
  const requests: RecordedRequest[] = [];
  const recordRequests = options.recordRequests ?? true;
  const defaultTurn = options.defaultTurn ?? { text: 'OK' };
  const models = options.models ?? ['scripted-model'];
  const modelsCreated = Math.floor(Date.now() / 1000);
  // A per-server prefix plus a counter gives unique ids without a random draw per response.
  const idPrefix = randomBytes(4).toString('hex');
  let idCounter = 0;
  const nextId = (): string => `${idPrefix}${(idCounter += 1).toString(36)}`;
  let abortedStreams = 0;

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    const queryStart = target.indexOf('?');
    const pathname = queryStart === -1 ? target : target.slice(0, queryStart);

    let rawBody: string;
    try {
      rawBody = await readBody(request);
    } catch {
      return; // The client went away while sending; there is no one to answer.
    }
    const recorded: RecordedRequest = { method, path: target, headers: request.headers, body: undefined };
    let parsedBody: unknown;
    let bodyIsJson = false;
    if (rawBody !== '') {
      try {
        parsedBody = JSON.parse(rawBody);
        bodyIsJson = true;
      } catch {
        parsedBody = rawBody;
      }
      recorded.body = parsedBody;
    }
    if (recordRequests) requests.push(recorded);

    if (method === 'GET' && pathname === '/v1/models') {
      sendJson(response, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: modelsCreated, owned_by: 'scripted' })),
      });
      return;
    }
    if (method !== 'POST' || pathname !== '/v1/chat/completions') {
      const message = `No route for ${method} ${pathname}: the scripted model server answers POST /v1/chat/completions and GET /v1/models.`;
      sendJson(response, 404, createOpenAiErrorBody({ status: 404, message, code: 'unknown_url' }));
      return;
    }
    if (!bodyIsJson) {
      const message = 'The request body is not valid JSON: send a JSON chat completion request.';
      sendJson(response, 400, createOpenAiErrorBody({ status: 400, message }));
      return;
    }
    const turn = queue.shift() ?? (typeof defaultTurn === 'function' ? defaultTurn(recorded) : defaultTurn);
    answerChatCompletion(request, response, turn, parsedBody);
  }

  function answerChatCompletion(
    request: IncomingMessage,
    response: ServerResponse,
    turn: ScriptedTurn,
    body: unknown,
  ): void {
    const chatRequest = (typeof body === 'object' && body !== null ? body : {}) as {
      model?: unknown;
      stream?: unknown;
      stream_options?: { include_usage?: unknown } | null;
    };
    const isStream = chatRequest.stream === true;
    let latencyTimer: NodeJS.Timeout | undefined;
    let streamWriter: ChatCompletionStreamWriter | undefined;
    let hangingUp = false;
    response.on('close', () => {
      if (response.writableEnded || hangingUp) return;
      if (latencyTimer) clearTimeout(latencyTimer);
      streamWriter?.stop();
      if (isStream) abortedStreams += 1;
    });

    const answer = (): void => {
      latencyTimer = undefined;
      if (turn.hangUp) {
        hangingUp = true;
        request.socket.destroy();
        return;
      }
      const failsMidStream = isStream && turn.errorAfterChunks !== undefined;
      if (turn.error && !failsMidStream) {
        sendJson(response, turn.error.status, createOpenAiErrorBody(turn.error));
        return;
      }
      const resolvedTurn = resolveScriptedTurn(turn, () => `call_${nextId()}`);
      const identity: ChatCompletionIdentity = {
        id: `chatcmpl-${nextId()}`,
        created: Math.floor(Date.now() / 1000),
        model: typeof chatRequest.model === 'string' ? chatRequest.model : (models[0] ?? 'scripted-model'),
      };
      const usage = () => computeScriptedUsage({ turn, resolvedTurn, requestBody: body });
      if (!isStream) {
        const completionUsage = turn.usage === null ? undefined : usage();
        sendJson(response, 200, createChatCompletion({ identity, resolvedTurn, usage: completionUsage }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      streamWriter = writeChatCompletionStream(response, {
        identity,
        resolvedTurn,
        usage:
          chatRequest.stream_options?.include_usage === true && turn.usage !== null ? usage() : undefined,
        tokensPerSecond: turn.tokensPerSecond,
        tokensPerChunk: turn.tokensPerChunk,
        failure: failsMidStream
          ? {
              afterChunks: turn.errorAfterChunks ?? 0,
              body: createOpenAiErrorBody(
                turn.error ?? {
                  status: 500,
                  message: 'The scripted stream failed midway (errorAfterChunks).',
                },
              ),
            }
          : undefined,
      });
    };

    if (turn.latencyMs !== undefined && turn.latencyMs > 0) latencyTimer = setTimeout(answer, turn.latencyMs);
    else answer();
  }

  const server = createServer((request, response) => {
    // Errors on a connection the client dropped are expected here; they must not crash the test process.
    request.on('error', ignoreError);
    response.on('error', ignoreError);
    handleRequest(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const message = `The scripted model server failed: ${error instanceof Error ? error.message : String(error)}`;
      sendJson(response, 500, createOpenAiErrorBody({ status: 500, message }));
    });
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  // Each SSE event must leave at once instead of waiting for Nagle's algorithm to batch it.
  server.on('connection', (socket) => socket.setNoDelay(true));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(
      { port: options.port ?? 0, host: options.host ?? '127.0.0.1', backlog: listenBacklog },
      () => {
        server.off('error', reject);
        resolve();
      },
    );
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}/v1`,
    port: address.port,
    requests,
    enqueue(...turns) {
      queue.push(...turns);
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    get abortedStreams() {
      return abortedStreams;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
    request.on('aborted', () => reject(new Error('The client aborted the request.')));
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function ignoreError(): void {}
