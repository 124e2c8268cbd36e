import { createHash, randomBytes } from 'node:crypto';
import { allScopes, type Scope } from '@plumb/protocol';
import type { Principal } from '../http/principal.ts';
import type { Storage } from '../storage/index.ts';
import { invalidTokenError } from './invalid-token-error.ts';

/** An API key as listed: everything but the key, which exists only in the answer to `create`. */
export interface ApiKey {
  id: string;
  name: string;
  /** The key's first characters (`plb_AbCdEfGh`), to recognise it. */
  prefix: string;
  scopes: Scope[];
  /** Milliseconds since the epoch, like the other times. */
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface ApiKeyStore {
  /** Makes a key; `key` is returned this once and never stored (only its SHA-256 hash is). */
  create(input: { name: string; scopes: readonly Scope[]; expiresAt?: number | null }): Promise<{
    apiKey: ApiKey;
    key: string;
  }>;
  /** Every key, newest first, revoked and expired ones included. */
  list(): Promise<ApiKey[]>;
  get(id: string): Promise<ApiKey | undefined>;
  /** Revokes a key at once (later calls keep the first revocation time); `undefined` if there is none. */
  revoke(id: string): Promise<ApiKey | undefined>;
  /** The principal of a presented key, or 401 `invalid_api_key` saying why not (unknown, revoked, expired). */
  authenticate(key: string): Promise<Principal>;
}

/** `plb_` + 32 random bytes in base64url (43 characters). */
export const apiKeyPrefix = 'plb_';
const keyPattern = /^plb_[A-Za-z0-9_-]{43}$/;
/** `last_used_at` is written at most this often per key, so busy keys do not turn every request into a write. */
const lastUsedResolutionMs = 60_000;
/**
 * How long a looked-up key is trusted before storage is read again. Revocation through this process (the admin
 * API) takes effect at once; revocation by another process (`plumb keys revoke` on the data directory, a second
 * server on the same PostgreSQL) within this time. Measured in `npm run bench` (auth scenario): the lookup on
 * every request cost more than the whole OAuth path.
 */
export const apiKeyCacheMs = 1_000;
/** Keys remembered at most; beyond it the cache starts over (only keys that exist are ever remembered). */
const apiKeyCacheEntries = 10_000;

/**
 * API keys in table `api_keys`. Lookup is by the SHA-256 hash of the presented key through a unique index:
 * the hash of a guess reveals nothing about stored keys, so no constant-time comparison is needed.
 *
 * @example
 * const apiKeys = createApiKeyStore(storage);
 * const { key } = await apiKeys.create({ name: 'laptop', scopes: ['code:read'] });
 * const principal = await apiKeys.authenticate(key); // { kind: 'api_key', subject: 'key_…', … }
 */
export function createApiKeyStore(
  storage: Storage,
  options: { now?: () => number; cacheMs?: number } = {},
): ApiKeyStore {
  const db = storage.db;
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? apiKeyCacheMs;
  /** Last `last_used_at` this process wrote per key, so concurrent requests do not all write it. */
  const lastUsedWrites = new Map<string, number>();
  /**
   * Known keys by the presented key, with when they were read; see {@link apiKeyCacheMs}. Keyed by the key
   * itself rather than its hash, so a remembered key costs no hashing (the process holds every presented key in
   * memory anyway while it serves the request, as it does verified JWTs).
   */
  const recentKeys = new Map<string, { apiKey: ApiKey; readAt: number }>();

  async function find(key: string): Promise<ApiKey | undefined> {
    const at = now();
    const cached = recentKeys.get(key);
    if (cached && at - cached.readAt < cacheMs) return cached.apiKey;
    const row = await db
      .selectFrom('api_keys')
      .selectAll()
      .where('hash', '=', hashApiKey(key))
      .executeTakeFirst();
    if (row === undefined) {
      recentKeys.delete(key);
      return undefined;
    }
    if (recentKeys.size >= apiKeyCacheEntries) recentKeys.clear();
    const apiKey = toApiKey(row);
    recentKeys.set(key, { apiKey, readAt: at });
    return apiKey;
  }

  function forget(id: string): void {
    for (const [key, entry] of recentKeys) if (entry.apiKey.id === id) recentKeys.delete(key);
  }

  async function get(id: string): Promise<ApiKey | undefined> {
    const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApiKey(row);
  }

  async function recordUse(apiKey: ApiKey): Promise<void> {
    const at = now();
    const last = Math.max(apiKey.lastUsedAt ?? 0, lastUsedWrites.get(apiKey.id) ?? 0);
    if (at - last < lastUsedResolutionMs) return;
    lastUsedWrites.set(apiKey.id, at);
    await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', apiKey.id).execute();
  }

  return {
    async create(input) {
      const key = `${apiKeyPrefix}${randomBytes(32).toString('base64url')}`;
      const row = {
        // Hex, so an id never starts with "-" and reads as a flag on the command line.
        id: randomBytes(8).toString('hex'),
        name: input.name,
        hash: hashApiKey(key),
        prefix: key.slice(0, apiKeyPrefix.length + 8),
        scopes: allScopes.filter((scope) => input.scopes.includes(scope)).join(' '),
        created_at: now(),
        expires_at: input.expiresAt ?? null,
        revoked_at: null,
        last_used_at: null,
      };
      await db.insertInto('api_keys').values(row).execute();
      return { apiKey: toApiKey(row), key };
    },
    async list() {
      const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map(toApiKey);
    },
    get,
    async revoke(id) {
      forget(id);
      await db
        .updateTable('api_keys')
        .set({ revoked_at: now() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      return get(id);
    },
    async authenticate(key) {
      if (!keyPattern.test(key)) {
        throw invalidTokenError('The API key is malformed; keys are plb_ followed by 43 characters', {
          code: 'invalid_api_key',
        });
      }
      const apiKey = await find(key);
      if (apiKey === undefined) {
        throw invalidTokenError(
          'The API key is not known to this server; create one with plumb keys create',
          {
            code: 'invalid_api_key',
          },
        );
      }
      if (apiKey.revokedAt !== null) {
        throw invalidTokenError(
          `The API key ${apiKey.prefix}... was revoked on ${new Date(apiKey.revokedAt).toISOString()}; create a new one`,
          { code: 'invalid_api_key' },
        );
      }
      if (apiKey.expiresAt !== null && apiKey.expiresAt <= now()) {
        throw invalidTokenError(
          `The API key ${apiKey.prefix}... expired on ${new Date(apiKey.expiresAt).toISOString()}; create a new one`,
          { code: 'invalid_api_key' },
        );
      }
      await recordUse(apiKey);
      return {
        subject: `key_${apiKey.id}`,
        kind: 'api_key',
        scopes: apiKey.scopes,
        clientId: null,
        apiKeyId: apiKey.id,
      };
    },
  };
}

/**
 * SHA-256 hex of a whole key: what `api_keys.hash` holds.
 *
 * @example
 * hashApiKey('plb_…'); // '9f86d08…'
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toApiKey(row: {
  id: string;
  name: string;
  prefix: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}): ApiKey {
  const scopes = new Set(row.scopes.split(' '));
  const time = (value: number | null) => (value === null ? null : Number(value));
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: allScopes.filter((scope) => scopes.has(scope)),
    createdAt: Number(row.created_at),
    expiresAt: time(row.expires_at),
    revokedAt: time(row.revoked_at),
    lastUsedAt: time(row.last_used_at),
  };
}
