import type { ApiKey } from './api-key-store.ts';

/** An API key on the wire (admin API, `plumb keys ... --json`): snake_case, times in Unix seconds. */
export interface ApiKeyJson {
  id: string;
  object: 'api_key';
  name: string;
  prefix: string;
  scopes: string[];
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  /** The key itself: only in the answer that created it. */
  key?: string;
}

/**
 * The wire shape of an API key; pass `key` only when answering its creation.
 *
 * @example
 * reply.status(201).send(toApiKeyJson(apiKey, { key }));
 */
export function toApiKeyJson(apiKey: ApiKey, options: { key?: string } = {}): ApiKeyJson {
  const seconds = (value: number | null) => (value === null ? null : Math.floor(value / 1000));
  return {
    id: apiKey.id,
    object: 'api_key',
    name: apiKey.name,
    prefix: apiKey.prefix,
    scopes: [...apiKey.scopes],
    created_at: Math.floor(apiKey.createdAt / 1000),
    expires_at: seconds(apiKey.expiresAt),
    revoked_at: seconds(apiKey.revokedAt),
    last_used_at: seconds(apiKey.lastUsedAt),
    ...(options.key === undefined ? {} : { key: options.key }),
  };
}
