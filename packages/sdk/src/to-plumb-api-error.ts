import { PlumbApiError } from './plumb-api-error.ts';

export interface ToPlumbApiErrorContext {
  baseUrl: string;
  /** Whether the client's own timeout fired (rather than the caller aborting). */
  timedOut: boolean;
  timeoutMs: number;
  callerSignal: AbortSignal | undefined;
}

/**
 * Normalizes what `fetch` (or reading a body) threw into a `PlumbApiError`: `request_timeout` when the
 * client's timeout fired, `connection_error` otherwise. A `PlumbApiError` and the caller's own abort pass
 * through unchanged, since aborting on purpose is not a failure.
 *
 * @example
 * catch (error) { throw toPlumbApiError(error, { baseUrl, timedOut, timeoutMs, callerSignal }) }
 */
export function toPlumbApiError(error: unknown, context: ToPlumbApiErrorContext): unknown {
  if (error instanceof PlumbApiError) return error;
  if (context.timedOut) {
    return new PlumbApiError(
      `Plumb at ${context.baseUrl} did not answer within ${context.timeoutMs} ms. Retry, or raise timeoutMs.`,
      { status: 0, code: 'request_timeout', type: 'timeout_error', cause: error },
    );
  }
  // The caller's own abort stays an abort (an AbortError, or the reason they gave).
  if (context.callerSignal?.aborted) return error;
  const detail = describeCause(error);
  return new PlumbApiError(
    `Could not reach Plumb at ${context.baseUrl}${detail ? ` (${detail})` : ''}. Check that the server is running (\`plumb serve\`) and that baseUrl is right.`,
    { status: 0, code: 'connection_error', type: 'connection_error', cause: error },
  );
}

/** Node's fetch hides the useful part (`ECONNREFUSED 127.0.0.1:8080`) in `cause`. */
function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? code : cause.message;
  }
  return error.message;
}
