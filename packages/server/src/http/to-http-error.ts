import { PlumbError, toPlumbError } from '@plumb/protocol';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/**
 * Maps errors raised by Fastify itself (body parsing, limits, routing) to Plumb error codes, and anything
 * else through `toPlumbError`.
 *
 * @example
 * const plumbError = toHttpError(error);
 */
export function toHttpError(error: unknown, options: { bodyLimitBytes: number }): PlumbError {
  if (error instanceof PlumbError) return error;
  const fastifyError = error as FastifyLikeError | undefined;
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PlumbError(
        'payload_too_large',
        `The request body is larger than the ${options.bodyLimitBytes} bytes this server accepts. Send less (for example fewer or smaller attachments) or raise limits.bodyLimitBytes.`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PlumbError(
        'unsupported_media_type',
        'Unsupported Content-Type. Send the body as JSON with Content-Type: application/json.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new PlumbError(
        'invalid_json',
        'The body is empty but Content-Type says JSON. Send a JSON object.',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new PlumbError(
        'invalid_json',
        `The body is not valid JSON (${fastifyError.message ?? ''}). Fix the JSON syntax.`,
      );
  }
  if (error instanceof SyntaxError && fastifyError?.statusCode === 400) {
    return new PlumbError(
      'invalid_json',
      `The body is not valid JSON (${error.message}). Fix the JSON syntax.`,
    );
  }
  return toPlumbError(error);
}
