import type { ClientSummary } from './client-store.ts';

/** A client as the admin API and `plumb clients ... --json` print it (snake_case, times in Unix seconds). */
export interface ClientJson {
  object: 'oauth.client';
  client_id: string;
  name: string;
  grants: string[];
  scopes: string[];
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  created_at: number;
  revoked_at: number | null;
  /** Present only in the answer that creates a confidential client: it is never shown again. */
  client_secret?: string;
}

/**
 * The wire form of a registered client.
 *
 * @example
 * reply.send(toClientJson(client, { clientSecret }));
 */
export function toClientJson(
  client: ClientSummary,
  options: { clientSecret?: string | null } = {},
): ClientJson {
  return {
    object: 'oauth.client',
    client_id: client.clientId,
    name: client.name,
    grants: client.grants,
    scopes: client.scopes,
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    created_at: Math.floor(client.createdAt / 1000),
    revoked_at: client.revokedAt === null ? null : Math.floor(client.revokedAt / 1000),
    ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
  };
}
