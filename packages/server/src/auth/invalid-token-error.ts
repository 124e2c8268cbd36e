import { PlumbError, type PlumbErrorCode } from '@plumb/protocol';

/**
 * A 401 for a bad credential, with the RFC 6750 challenge: `WWW-Authenticate: Bearer error="invalid_token",
 * error_description="..."`. The description (one sentence, no quotes) is also the error message.
 *
 * @example
 * throw invalidTokenError('The access token has expired; get a new one');
 * throw invalidTokenError('This API key was revoked', { code: 'invalid_api_key' });
 */
export function invalidTokenError(
  description: string,
  options: { code?: Extract<PlumbErrorCode, 'invalid_token' | 'invalid_api_key'> } = {},
): PlumbError {
  // A quoted-string in a header: printable ASCII only, without the characters that would end it.
  const quoted = description.replace(/[^\x20-\x7e]|["\\]/g, '');
  return new PlumbError(options.code ?? 'invalid_token', `${description}.`, {
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${quoted}"` },
  });
}
