import { pino, type Logger } from 'pino';

/** Header values that must never reach a log line. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
];

/**
 * The server's pino logger; Fastify derives one child logger per request (with its request id) from it.
 *
 * @example
 * const logger = createLogger({ level: 'info' });
 */
export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    { level: options.level, redact: { paths: redactedPaths, censor: '[redacted]' } },
    options.destination,
  );
}
