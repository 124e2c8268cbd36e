/** The JSON body OpenAI sends with an error status, and inside `data:` when a stream fails midway. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * Builds an error body in the OpenAI shape; `type` defaults from the HTTP status the way OpenAI-compatible
 * servers name them.
 *
 * @example
 * createOpenAiErrorBody({ status: 429, message: 'Slow down.' });
 * // { error: { message: 'Slow down.', type: 'rate_limit_error', param: null, code: null } }
 */
export function createOpenAiErrorBody(error: {
  status: number;
  message: string;
  type?: string;
  code?: string;
}): OpenAiErrorBody {
  return {
    error: {
      message: error.message,
      type: error.type ?? defaultErrorType(error.status),
      param: null,
      code: error.code ?? null,
    },
  };
}

function defaultErrorType(status: number): string {
  if (status >= 500) return 'server_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  return 'invalid_request_error';
}
