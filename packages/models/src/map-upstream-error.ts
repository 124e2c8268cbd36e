import {
  APICallError,
  InvalidPromptError,
  LoadAPIKeyError,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import { PlumbError } from '@plumb/protocol';

export interface UpstreamErrorContext {
  /** The `provider/model-id` the client asked for; every message names it. */
  modelName: string;
  /** The signal given to the model call: its reason tells a timeout from a cancellation. */
  abortSignal?: AbortSignal | undefined;
}

/**
 * Turns whatever a model call threw into a `PlumbError` with the status a client should see. Messages name
 * the model and include the provider's own message.
 *
 * - provider HTTP 404 -> `model_not_found`; 400 and 422 -> `invalid_request`; 401 and 403 -> `upstream_error`
 *   (the provider rejected Plumb's credentials); 429 -> `rate_limited`; 503 -> `upstream_unavailable`;
 *   other 5xx -> `upstream_error`
 * - no connection (refused, reset, DNS) -> `upstream_unavailable`, naming the provider's host
 * - a timeout (`TimeoutError`, or an abort whose signal reason is one) -> `upstream_timeout`; any other
 *   abort (the client went away) -> `request_timeout`
 * - a prompt the provider cannot take (unsupported part, misplaced system message) -> `invalid_request`
 * - a `PlumbError` passes through unchanged
 *
 * @example
 * try { await model.doGenerate(options) } catch (error) { throw mapUpstreamError(error, { modelName: 'local/qwen' }) }
 */
export function mapUpstreamError(error: unknown, context: UpstreamErrorContext): PlumbError {
  if (error instanceof PlumbError) return error;
  const model = `"${context.modelName}"`;

  if (isAbort(error)) {
    const reason: unknown = context.abortSignal?.aborted ? context.abortSignal.reason : undefined;
    if (reason instanceof PlumbError) return reason;
    if (errorName(error) === 'TimeoutError' || errorName(reason) === 'TimeoutError') {
      return new PlumbError(
        'upstream_timeout',
        `The model ${model} did not finish within the upstream time limit. Retry, ask for a shorter answer (max_tokens), or raise PLUMB_UPSTREAM_TIMEOUT_MS.`,
        { cause: error },
      );
    }
    return new PlumbError(
      'request_timeout',
      `The request to the model ${model} was cancelled before it finished. Retry it.`,
      {
        cause: error,
      },
    );
  }

  if (APICallError.isInstance(error)) return fromApiCallError(error, model);

  if (LoadAPIKeyError.isInstance(error)) {
    return new PlumbError(
      'model_not_configured',
      `The provider of the model ${model} has no API key: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  if (UnsupportedFunctionalityError.isInstance(error) || InvalidPromptError.isInstance(error)) {
    return new PlumbError(
      'invalid_request',
      `The model ${model} cannot take this request: ${error.message}. Change the messages or choose another model.`,
      { param: 'messages', cause: error },
    );
  }

  const networkCode = findNetworkErrorCode(error);
  if (networkCode !== undefined) {
    return new PlumbError(
      'upstream_unavailable',
      `The connection to the provider of the model ${model} failed (${networkCode}: ${errorMessage(error)}). Check that the model server is running, then retry.`,
      { cause: error },
    );
  }
  return new PlumbError(
    'upstream_error',
    `The provider of the model ${model} failed: ${errorMessage(error)}. Retry; if it persists, check the model server's logs.`,
    { cause: error },
  );
}

function fromApiCallError(error: APICallError, model: string): PlumbError {
  const providerMessage = error.message;
  const status = error.statusCode;
  const options = { cause: error };
  if (status === undefined) {
    // No HTTP status: the request never got an answer (connection refused, reset, DNS failure).
    return new PlumbError(
      'upstream_unavailable',
      `Plumb cannot reach the provider of the model ${model} at ${hostOf(error.url)}: ${providerMessage}. Check that the model server is running and its base URL is right, then retry.`,
      options,
    );
  }
  const prefix = `The provider of the model ${model} answered HTTP ${status}: ${providerMessage}`;
  if (status === 404) {
    return new PlumbError('model_not_found', `${prefix}. Check that the model id exists on that provider.`, {
      ...options,
      param: 'model',
    });
  }
  if (status === 400 || status === 422) {
    return new PlumbError(
      'invalid_request',
      `${prefix}. Fix the request parameters the provider names.`,
      options,
    );
  }
  if (status === 401 || status === 403) {
    return new PlumbError(
      'upstream_error',
      `${prefix}. The provider rejected Plumb's credentials: check the API key configured for this provider.`,
      { ...options, isRetryable: false },
    );
  }
  if (status === 429) {
    const retryAfter = error.responseHeaders?.['retry-after'];
    return new PlumbError('rate_limited', `${prefix}. The provider is rate limiting Plumb; retry later.`, {
      ...options,
      ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }),
    });
  }
  if (status === 503) {
    return new PlumbError(
      'upstream_unavailable',
      `${prefix}. The provider is unavailable; retry later.`,
      options,
    );
  }
  return new PlumbError('upstream_error', `${prefix}. Retry; if it persists, check the provider's status.`, {
    ...options,
    isRetryable: status >= 500,
  });
}

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The Node network error code somewhere in the cause chain (`fetch failed` wraps it). */
function findNetworkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && networkErrorCodes.has(code)) return code;
    current = current.cause;
  }
  if (error instanceof TypeError && /fetch failed|terminated/i.test(error.message)) return 'fetch failed';
  return undefined;
}

function isAbort(error: unknown): boolean {
  const name = errorName(error);
  return name === 'AbortError' || name === 'TimeoutError';
}

function errorName(value: unknown): string | undefined {
  return value instanceof Error || value instanceof DOMException ? value.name : undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    return (error as { message: string }).message;
  }
  return String(error);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
