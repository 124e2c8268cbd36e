import { errorCatalogue, isPlumbErrorCode } from '@plumb/protocol';

/** The fields of a {@link PlumbApiError} besides its message. */
export interface PlumbApiErrorOptions {
  /** HTTP status; 0 when no HTTP answer describes the error (connection failure, timeout, broken stream). */
  status: number;
  /** Machine-readable code: one of the protocol's `errorCatalogue` codes, or a client-side code. */
  code: string;
  /** OpenAI-style error type (`invalid_request_error`, `connection_error`, ...). */
  type: string;
  param?: string | null | undefined;
  /** The server's `x-request-id`, to quote when reporting a problem. */
  requestId?: string | null | undefined;
  headers?: Headers | undefined;
  cause?: unknown;
}

/** How many characters of an unexpected (non-JSON) body an error message quotes. */
const quotedBodyLength = 200;

/**
 * An error answered by the Plumb API, or met while talking to it. Server errors keep the OpenAI-shaped body's
 * `message`, `type`, `param` and `code`; client-side failures use `status` 0 and codes `connection_error`,
 * `request_timeout`, `invalid_response` or `stream_incomplete`.
 *
 * @example
 * try {
 *   await client.sessions.get('sess_missing00');
 * } catch (error) {
 *   if (error instanceof PlumbApiError && error.code === 'session_not_found') console.log(error.requestId);
 * }
 */
export class PlumbApiError extends Error {
  override readonly name = 'PlumbApiError';
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly param: string | null;
  readonly requestId: string | null;
  readonly headers: Headers;

  constructor(message: string, options: PlumbApiErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.type = options.type;
    this.param = options.param ?? null;
    this.requestId = options.requestId ?? null;
    this.headers = options.headers ?? new Headers();
  }

  /**
   * Builds the error for a non-2xx HTTP answer from its status, headers and raw body text. An OpenAI-shaped
   * body `{ error: { message, type, param, code } }` is taken as is; anything else becomes `http_error`
   * quoting the start of the body.
   *
   * @example
   * throw PlumbApiError.fromResponseBody(response.status, response.headers, await response.text());
   */
  static fromResponseBody(status: number, headers: Headers, bodyText: string): PlumbApiError {
    const requestId = headers.get('x-request-id');
    const body = parseJson(bodyText);
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    if (error && typeof error.message === 'string') {
      return new PlumbApiError(error.message, {
        status,
        code: typeof error.code === 'string' ? error.code : 'http_error',
        type: typeof error.type === 'string' ? error.type : 'api_error',
        param: typeof error.param === 'string' ? error.param : null,
        requestId,
        headers,
      });
    }
    // Not Plumb's error shape (a proxy, a load balancer, or another server on the port): keep what we can.
    const quoted = bodyText.trim().slice(0, quotedBodyLength);
    const description = quoted.length > 0 ? `a body that is not a Plumb error: ${quoted}` : 'an empty body';
    return new PlumbApiError(
      `The server answered HTTP ${status} with ${description}. Check that baseUrl points at a Plumb server (and that any proxy in front of it is healthy).`,
      { status, code: 'http_error', type: 'api_error', requestId, headers },
    );
  }

  /**
   * Builds the error for a `data: {"error": ...}` event inside a 200 event stream. The status is the one the
   * server would have answered with before the stream started (from the error catalogue), or 500.
   *
   * @example
   * throw PlumbApiError.fromStreamEvent(event.error, response.headers);
   */
  static fromStreamEvent(error: unknown, headers: Headers): PlumbApiError {
    const fields = isRecord(error) ? error : {};
    const code = typeof fields.code === 'string' ? fields.code : 'stream_error';
    return new PlumbApiError(
      typeof fields.message === 'string'
        ? fields.message
        : 'The stream ended with an error that has no message.',
      {
        status: isPlumbErrorCode(code) ? errorCatalogue[code].status : 500,
        code,
        type: typeof fields.type === 'string' ? fields.type : 'api_error',
        param: typeof fields.param === 'string' ? fields.param : null,
        requestId: headers.get('x-request-id'),
        headers,
      },
    );
  }

  static isPlumbApiError(value: unknown): value is PlumbApiError {
    return value instanceof PlumbApiError;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
