/**
 * Every error Plumb can answer with, by machine-readable `code`.
 *
 * `status` is the HTTP status and `type` the OpenAI-style error `type`, so OpenAI SDKs raise the matching
 * typed error (`BadRequestError`, `NotFoundError`, ...). Add a code here first, then throw it with `PlumbError`.
 */
export const errorCatalogue = {
  invalid_json: { status: 400, type: 'invalid_request_error', isRetryable: false },
  invalid_request: { status: 400, type: 'invalid_request_error', isRetryable: false },
  unauthorized: { status: 401, type: 'authentication_error', isRetryable: false },
  invalid_token: { status: 401, type: 'authentication_error', isRetryable: false },
  invalid_api_key: { status: 401, type: 'authentication_error', isRetryable: false },
  quota_exceeded: { status: 402, type: 'insufficient_quota', isRetryable: false },
  insufficient_scope: { status: 403, type: 'permission_error', isRetryable: false },
  forbidden: { status: 403, type: 'permission_error', isRetryable: false },
  not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  source_not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  function_not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  model_not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  session_not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  debug_session_not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  program_not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  repository_not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  symbol_not_found: { status: 404, type: 'not_found_error', isRetryable: false },
  method_not_allowed: { status: 405, type: 'invalid_request_error', isRetryable: false },
  request_timeout: { status: 408, type: 'timeout_error', isRetryable: true },
  evaluation_timeout: { status: 408, type: 'timeout_error', isRetryable: false },
  conflict: { status: 409, type: 'conflict_error', isRetryable: false },
  symbol_ambiguous: { status: 409, type: 'conflict_error', isRetryable: false },
  idempotency_key_in_flight: { status: 409, type: 'conflict_error', isRetryable: true },
  endpoint_deprecated: { status: 410, type: 'invalid_request_error', isRetryable: false },
  debug_session_terminated: { status: 410, type: 'invalid_request_error', isRetryable: false },
  payload_too_large: { status: 413, type: 'invalid_request_error', isRetryable: false },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', isRetryable: false },
  idempotency_key_reused: { status: 422, type: 'invalid_request_error', isRetryable: false },
  source_import_failed: { status: 422, type: 'invalid_request_error', isRetryable: false },
  source_syntax_error: { status: 422, type: 'invalid_request_error', isRetryable: false },
  unsupported_language: { status: 422, type: 'invalid_request_error', isRetryable: false },
  breakpoint_invalid: { status: 422, type: 'invalid_request_error', isRetryable: false },
  security_rule_invalid: { status: 422, type: 'invalid_request_error', isRetryable: false },
  baseline_invalid: { status: 422, type: 'invalid_request_error', isRetryable: false },
  manifest_invalid: { status: 422, type: 'invalid_request_error', isRetryable: false },
  request_refused: { status: 422, type: 'invalid_request_error', isRetryable: false },
  debug_session_limit_reached: { status: 429, type: 'rate_limit_error', isRetryable: true },
  rate_limited: { status: 429, type: 'rate_limit_error', isRetryable: true },
  internal_error: { status: 500, type: 'server_error', isRetryable: true },
  upstream_error: { status: 502, type: 'upstream_error', isRetryable: true },
  debug_attach_failed: { status: 502, type: 'upstream_error', isRetryable: false },
  model_not_configured: { status: 503, type: 'server_error', isRetryable: false },
  interpreter_not_found: { status: 503, type: 'server_error', isRetryable: false },
  registry_unavailable: { status: 503, type: 'upstream_error', isRetryable: true },
  upstream_unavailable: { status: 503, type: 'upstream_error', isRetryable: true },
  service_unavailable: { status: 503, type: 'server_error', isRetryable: true },
  upstream_timeout: { status: 504, type: 'upstream_error', isRetryable: true },
} as const satisfies Record<string, { status: number; type: string; isRetryable: boolean }>;

/** A machine-readable error code; see {@link errorCatalogue}. */
export type PlumbErrorCode = keyof typeof errorCatalogue;

/** Whether `value` is one of the catalogued error codes. */
export function isPlumbErrorCode(value: unknown): value is PlumbErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}
