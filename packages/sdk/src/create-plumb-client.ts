import type {
  ChatCompletion,
  ChatCompletionRequest,
  CreateSessionRequest,
  DeletedSession,
  ModelList,
  Session,
} from '@plumb/protocol';
import { ChatCompletionStream } from './chat-completion-stream.ts';
import { normaliseBaseUrl } from './normalise-base-url.ts';
import { PlumbApiError } from './plumb-api-error.ts';
import { toPlumbApiError } from './to-plumb-api-error.ts';

export interface PlumbClientOptions {
  /** The server root, such as `http://127.0.0.1:8080`; a trailing `/` or `/v3` is accepted and dropped. */
  baseUrl: string;
  /** A Plumb API key, sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** An OAuth access token; wins over `apiKey` when both are given. */
  accessToken?: string;
  /** The fetch to use (tests, proxies, instrumentation); the global `fetch` by default. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * How long to wait for an answer, in milliseconds (default 10 minutes). For streams it covers the wait for
   * the response headers, not the whole stream.
   */
  timeoutMs?: number;
}

export interface PlumbRequestOptions {
  /** Aborts the request; a stream aborted this way ends quietly, like `stream.abort()`. */
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`, so a retried request is not carried out twice. */
  idempotencyKey?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PlumbClient {
  /** The normalised server root (no trailing `/`, no `/v3`). */
  readonly baseUrl: string;
  chat: {
    completions: {
      create(
        request: ChatCompletionRequest & { stream?: false | null },
        options?: PlumbRequestOptions,
      ): Promise<ChatCompletion>;
      create(
        request: ChatCompletionRequest & { stream: true },
        options?: PlumbRequestOptions,
      ): Promise<ChatCompletionStream>;
      create(
        request: ChatCompletionRequest,
        options?: PlumbRequestOptions,
      ): Promise<ChatCompletion | ChatCompletionStream>;
    };
  };
  models: {
    list(options?: PlumbRequestOptions): Promise<ModelList>;
  };
  sessions: {
    create(body?: CreateSessionRequest, options?: PlumbRequestOptions): Promise<Session>;
    get(id: string, options?: PlumbRequestOptions): Promise<Session>;
    delete(id: string, options?: PlumbRequestOptions): Promise<DeletedSession>;
  };
  /**
   * Sends any JSON request to the API, for routes not wrapped yet. `path` is taken from the server root
   * (`/v3/...`). Resolves to the parsed JSON body (`undefined` for an empty one).
   */
  request<T>(method: HttpMethod, path: string, body?: unknown, options?: PlumbRequestOptions): Promise<T>;
}

const defaultTimeoutMs = 10 * 60 * 1000;

/**
 * Creates a typed client for the Plumb HTTP API. Every failure is a `PlumbApiError` carrying the server's
 * `code` and `x-request-id`, or `connection_error` when the server cannot be reached.
 *
 * @example
 * const client = createPlumbClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: process.env.PLUMB_API_KEY });
 * const completion = await client.chat.completions.create({
 *   model: 'ollama/qwen2.5-coder',
 *   mode: 'code',
 *   messages: [{ role: 'user', content: 'Write a debounce function in TypeScript.' }],
 * });
 * console.log(completion.choices[0]?.message.content);
 */
export function createPlumbClient(options: PlumbClientOptions): PlumbClient {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const token = options.accessToken ?? options.apiKey;

  /** Sends one request and resolves once the response headers are in, with a 2xx status. */
  async function send(input: {
    method: HttpMethod;
    path: string;
    body: unknown;
    accept: string;
    options: PlumbRequestOptions | undefined;
  }) {
    const headers: Record<string, string> = { accept: input.accept, ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    if (input.options?.idempotencyKey) headers['idempotency-key'] = input.options.idempotencyKey;

    // One controller per request: the timeout, the caller's signal and `stream.abort()` all go through it.
    const abortController = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abortController.abort();
    }, timeoutMs);
    const callerSignal = input.options?.signal;
    const abortFromCaller = () => abortController.abort(callerSignal?.reason);
    if (callerSignal?.aborted) abortFromCaller();
    callerSignal?.addEventListener('abort', abortFromCaller, { once: true });
    const stopTimer = () => clearTimeout(timer);
    const release = () => {
      stopTimer();
      callerSignal?.removeEventListener('abort', abortFromCaller);
    };
    /** Turns what fetch or a body read threw into a `PlumbApiError` (a caller's own abort passes through). */
    const toError = (error: unknown) =>
      toPlumbApiError(error, { baseUrl, timedOut, timeoutMs, callerSignal });

    try {
      const response = await fetchFunction(
        `${baseUrl}${input.path.startsWith('/') ? '' : '/'}${input.path}`,
        {
          method: input.method,
          headers,
          body: input.body === undefined ? undefined : JSON.stringify(input.body),
          signal: abortController.signal,
        },
      );
      if (!response.ok) {
        throw PlumbApiError.fromResponseBody(response.status, response.headers, await response.text());
      }
      return { response, abortController, stopTimer, release, toError };
    } catch (error) {
      release();
      throw toError(error);
    }
  }

  async function requestJson<T>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    requestOptions?: PlumbRequestOptions,
  ): Promise<T> {
    const { response, release, toError } = await send({
      method,
      path,
      body,
      accept: 'application/json',
      options: requestOptions,
    });
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw toError(error);
    } finally {
      release();
    }
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new PlumbApiError(
        `The server answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}. Check that baseUrl points at a Plumb server.`,
        {
          status: response.status,
          code: 'invalid_response',
          type: 'api_error',
          requestId: response.headers.get('x-request-id'),
          headers: response.headers,
          cause: error,
        },
      );
    }
  }

  async function createStream(request: ChatCompletionRequest, requestOptions?: PlumbRequestOptions) {
    const { response, abortController, stopTimer, release } = await send({
      method: 'POST',
      path: '/v3/chat/completions',
      body: request,
      accept: 'text/event-stream',
      options: requestOptions,
    });
    // The timeout covers the wait for headers only: a long answer may stream for longer than that.
    stopTimer();
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      abortController.abort();
      release();
      throw new PlumbApiError(
        `Asked for a stream but the server answered with content-type "${contentType}". Check that baseUrl points at a Plumb server.`,
        {
          status: response.status,
          code: 'invalid_response',
          type: 'api_error',
          requestId: response.headers.get('x-request-id'),
          headers: response.headers,
        },
      );
    }
    return new ChatCompletionStream({ response, abortController, onClose: release });
  }

  function create(
    request: ChatCompletionRequest & { stream?: false | null },
    o?: PlumbRequestOptions,
  ): Promise<ChatCompletion>;
  function create(
    request: ChatCompletionRequest & { stream: true },
    o?: PlumbRequestOptions,
  ): Promise<ChatCompletionStream>;
  function create(
    request: ChatCompletionRequest,
    o?: PlumbRequestOptions,
  ): Promise<ChatCompletion | ChatCompletionStream>;
  function create(request: ChatCompletionRequest, requestOptions?: PlumbRequestOptions) {
    if (request.stream === true) return createStream(request, requestOptions);
    return requestJson<ChatCompletion>('POST', '/v3/chat/completions', request, requestOptions);
  }

  const sessionPath = (id: string) => `/v3/sessions/${encodeURIComponent(id)}`;

  return {
    baseUrl,
    chat: { completions: { create } },
    models: {
      list: (requestOptions) => requestJson<ModelList>('GET', '/v3/models', undefined, requestOptions),
    },
    sessions: {
      create: (body, requestOptions) =>
        requestJson<Session>('POST', '/v3/sessions', body ?? {}, requestOptions),
      get: (id, requestOptions) => requestJson<Session>('GET', sessionPath(id), undefined, requestOptions),
      delete: (id, requestOptions) =>
        requestJson<DeletedSession>('DELETE', sessionPath(id), undefined, requestOptions),
    },
    request: requestJson,
  };
}
