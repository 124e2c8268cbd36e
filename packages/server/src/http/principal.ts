import type { Scope } from '@plumb/protocol';

/** Who is calling: set by authentication before routes run; `null` when auth is off (local experiments). */
export interface Principal {
  /** Stable id of the caller (OAuth client id, user id or API key id); owns sessions and usage. */
  subject: string;
  kind: 'oauth' | 'api_key';
  scopes: readonly Scope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}
