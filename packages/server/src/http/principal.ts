import type { Scope } from '@plumb/protocol';

/**
 * Who is calling: set by authentication (`auth/register-authentication.ts`) before routes run; `null` when
 * auth is off (`--insecure-no-auth`) and on public routes.
 */
export interface Principal {
  /** OAuth: `sub` (a user id, or the client id for client credentials); API key: `key_<id>`. */
  subject: string;
  kind: 'oauth' | 'api_key';
  scopes: readonly Scope[];
  /** The OAuth client the token was issued to (every grant kind); `null` for API keys. */
  clientId: string | null;
  /** The API key's id; `null` for OAuth. */
  apiKeyId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** `true` when the server runs with `--insecure-no-auth`: no credentials are asked for or checked. */
    insecureNoAuth: boolean;
  }
}
