import { APICallError, LoadAPIKeyError, UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { PlumbError } from '@plumb/protocol';
import { describe, expect, it } from 'vitest';
import { mapUpstreamError } from './map-upstream-error.ts';

const context = { modelName: 'local/qwen' };

function apiCallError(
  statusCode: number | undefined,
  message = 'provider says no',
  headers?: Record<string, string>,
) {
  return new APICallError({
    message,
    url: 'http://127.0.0.1:11434/v1/chat/completions',
    requestBodyValues: {},
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(headers ? { responseHeaders: headers } : {}),
  });
}

describe('mapUpstreamError', () => {
  it.each([
    [404, 'model_not_found', 404],
    [400, 'invalid_request', 400],
    [422, 'invalid_request', 400],
    [401, 'upstream_error', 502],
    [403, 'upstream_error', 502],
    [429, 'rate_limited', 429],
    [500, 'upstream_error', 502],
    [502, 'upstream_error', 502],
    [503, 'upstream_unavailable', 503],
  ] as const)('maps provider HTTP %i to %s', (statusCode, code, status) => {
    const error = mapUpstreamError(apiCallError(statusCode), context);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).toContain('"local/qwen"');
    expect(error.message).toContain('provider says no');
  });

  it('says the provider rejected the credentials on 401', () => {
    const error = mapUpstreamError(apiCallError(401, 'Invalid API key'), context);
    expect(error.message).toContain("rejected Plumb's credentials");
    expect(error.isRetryable).toBe(false);
  });

  it('passes Retry-After on 429', () => {
    expect(mapUpstreamError(apiCallError(429, 'slow down', { 'retry-after': '7' }), context).headers).toEqual(
      { 'Retry-After': '7' },
    );
  });

  it('maps a failed connection to upstream_unavailable naming the host', () => {
    const error = mapUpstreamError(
      apiCallError(undefined, 'Cannot connect to API: connect ECONNREFUSED 127.0.0.1:11434'),
      context,
    );
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('127.0.0.1:11434');
    const raw = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(mapUpstreamError(raw, context).code).toBe('upstream_unavailable');
  });

  it('tells timeouts from cancellations', () => {
    expect(mapUpstreamError(new DOMException('timed out', 'TimeoutError'), context).code).toBe(
      'upstream_timeout',
    );
    const controller = new AbortController();
    controller.abort(new DOMException('timed out', 'TimeoutError'));
    const abort = new DOMException('aborted', 'AbortError');
    expect(mapUpstreamError(abort, { ...context, abortSignal: controller.signal }).code).toBe(
      'upstream_timeout',
    );
    expect(mapUpstreamError(abort, context).code).toBe('request_timeout');
  });

  it('passes PlumbErrors through and maps configuration and prompt problems', () => {
    const original = new PlumbError('invalid_request', 'x');
    expect(mapUpstreamError(original, context)).toBe(original);
    expect(mapUpstreamError(new LoadAPIKeyError({ message: 'no key' }), context).code).toBe(
      'model_not_configured',
    );
    expect(
      mapUpstreamError(new UnsupportedFunctionalityError({ functionality: 'audio' }), context).code,
    ).toBe('invalid_request');
    expect(mapUpstreamError(new Error('weird'), context).code).toBe('upstream_error');
  });
});
