import { PlumbError } from '@plumb/protocol';

/** 1 to 255 printable ASCII characters (space to tilde), as Stripe accepts. */
const keyPattern = /^[\x20-\x7E]{1,255}$/;

/**
 * The `Idempotency-Key` header value, or 400 `invalid_request` saying what a key must look like.
 *
 * @example
 * parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324'); // '8e03978e-40d5-43e8-bc93-6894a57f9324'
 * parseIdempotencyKey(''); // throws PlumbError('invalid_request', ..., { param: 'Idempotency-Key' })
 */
export function parseIdempotencyKey(header: string | string[]): string {
  if (typeof header === 'string' && keyPattern.test(header)) return header;
  throw new PlumbError(
    'invalid_request',
    'The Idempotency-Key header must be one value of 1 to 255 printable ASCII characters. Send a fresh random key (a UUID is ideal) per logical request.',
    { param: 'Idempotency-Key' },
  );
}
