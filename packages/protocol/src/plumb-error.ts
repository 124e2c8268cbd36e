import { errorCatalogue, type PlumbErrorCode } from './error-catalogue.ts';

/** The body of every error response: OpenAI's error shape, so OpenAI SDKs parse it. */
export interface ErrorResponseBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: PlumbErrorCode;
  };
}

export interface PlumbErrorOptions {
  /** The request parameter at fault, as a dotted path (`messages.0.content`). */
  param?: string | undefined;
  cause?: unknown;
  /** Overrides the catalogue's default for this one error (for example a provider's own hint). */
  isRetryable?: boolean | undefined;
  /** Extra response headers this error requires (`Retry-After`, `WWW-Authenticate`, ...). */
  headers?: Record<string, string> | undefined;
}

/**
 * The one error class of Plumb. Its message always says what was wrong and how to fix it.
 *
 * @example
 * throw new PlumbError('session_not_found', `No session "${id}". Create one with POST /v3/sessions.`, {
 *   param: 'session_id',
 * });
 */
export class PlumbError extends Error {
  override readonly name = 'PlumbError';
  readonly code: PlumbErrorCode;
  readonly param: string | undefined;
  readonly isRetryable: boolean;
  readonly headers: Record<string, string>;

  constructor(code: PlumbErrorCode, message: string, options: PlumbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.param = options.param;
    this.isRetryable = options.isRetryable ?? errorCatalogue[code].isRetryable;
    this.headers = options.headers ?? {};
  }

  /** The HTTP status this error is answered with. */
  get status(): number {
    return errorCatalogue[this.code].status;
  }

  /** The OpenAI-style error `type`. */
  get type(): string {
    return errorCatalogue[this.code].type;
  }

  /** The JSON body of the HTTP error response. */
  toResponseBody(): ErrorResponseBody {
    return { error: { message: this.message, type: this.type, param: this.param ?? null, code: this.code } };
  }

  static isPlumbError(value: unknown): value is PlumbError {
    return value instanceof PlumbError;
  }
}
