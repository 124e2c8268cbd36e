import { PlumbError } from './plumb-error.ts';

/**
 * Normalizes anything thrown into a `PlumbError`. Unknown errors become `internal_error` with the original
 * kept as `cause` (never shown to clients: their message may carry internals).
 *
 * @example
 * catch (error) { reply.status(toPlumbError(error).status) }
 */
export function toPlumbError(error: unknown): PlumbError {
  if (error instanceof PlumbError) return error;
  if (isAbortError(error)) {
    return new PlumbError('request_timeout', 'The request was aborted before it finished. Retry it.', {
      cause: error,
    });
  }
  return new PlumbError(
    'internal_error',
    'Plumb hit an unexpected error while handling this request. Retry it; if it persists, report it with the x-request-id header value.',
    { cause: error },
  );
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
