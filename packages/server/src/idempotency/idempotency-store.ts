import type { Storage } from '../storage/index.ts';

/** A response kept for replay. */
export interface StoredResponse {
  status: number;
  /** Only content-type and a few other safe headers (see `register-idempotency.ts`). */
  headers: Record<string, string>;
  /** JSON text, or the whole SSE transcript of a streamed answer. */
  body: string;
}

/** Identifies one key: keys are scoped per billing subject and per route. */
export interface IdempotencyKeyIdentity {
  subject: string;
  /** Method and route pattern, e.g. `POST /v3/chat/completions`. */
  route: string;
  key: string;
}

export type ClaimResult =
  /** The key is new (or had expired): the caller runs the request and later calls `complete` or `release`. */
  | { kind: 'claimed' }
  /** The key was used with a different request body. */
  | { kind: 'mismatch' }
  /** The first attempt with this key is still running. */
  | { kind: 'in_flight' }
  /** The first attempt finished: replay this. */
  | { kind: 'completed'; response: StoredResponse };

export interface IdempotencyStore {
  /** Atomically claims the key (insert with conflict detection), or says why not. */
  claim(input: IdempotencyKeyIdentity & { requestHash: string; ttlSeconds: number }): Promise<ClaimResult>;
  /** Stores the response of the attempt that claimed the key. */
  complete(identity: IdempotencyKeyIdentity, response: StoredResponse): Promise<void>;
  /** Forgets an in-flight key (5xx, failed or aborted stream) so the client may retry with it. */
  release(identity: IdempotencyKeyIdentity): Promise<void>;
  /** Deletes expired keys; returns how many. */
  purgeExpired(): Promise<number>;
}

/**
 * Idempotency keys in table `idempotency_keys`, on SQLite or PostgreSQL. Claiming is one
 * `insert ... on conflict do nothing returning`, so of two concurrent requests with one key exactly one
 * claims it. Expired keys count as new: they are deleted when met, and by `purgeExpired`.
 *
 * @example
 * const store = createIdempotencyStore(storage);
 * const identity = { subject: 'anonymous', route: 'POST /v3/chat/completions', key: 'retry-1' };
 * const claim = await store.claim({ ...identity, requestHash, ttlSeconds: 86_400 }); // { kind: 'claimed' }
 * await store.complete(identity, { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
 */
export function createIdempotencyStore(
  storage: Storage,
  options: { now?: () => number } = {},
): IdempotencyStore {
  const db = storage.db;
  const now = options.now ?? Date.now;

  const byIdentity = (identity: IdempotencyKeyIdentity) =>
    db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('subject', '=', identity.subject)
      .where('route', '=', identity.route)
      .where('key', '=', identity.key);

  async function tryInsert(input: IdempotencyKeyIdentity & { requestHash: string; ttlSeconds: number }) {
    const createdAt = now();
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        subject: input.subject,
        route: input.route,
        key: input.key,
        request_hash: input.requestHash,
        state: 'in_flight',
        response_status: null,
        response_headers: null,
        response_body: null,
        created_at: createdAt,
        expires_at: createdAt + input.ttlSeconds * 1000,
      })
      .onConflict((conflict) => conflict.columns(['subject', 'route', 'key']).doNothing())
      .returning('key')
      .execute();
    return inserted.length === 1;
  }

  return {
    async claim(input) {
      // Two rounds at most: the second only after deleting an expired row that blocked the first.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        if (await tryInsert(input)) return { kind: 'claimed' };
        const existing = await byIdentity(input).executeTakeFirst();
        // Released between our insert and our read: try again.
        if (existing === undefined) continue;
        if (existing.expires_at <= now()) {
          await db
            .deleteFrom('idempotency_keys')
            .where('subject', '=', input.subject)
            .where('route', '=', input.route)
            .where('key', '=', input.key)
            .where('expires_at', '<=', now())
            .execute();
          continue;
        }
        if (existing.request_hash !== input.requestHash) return { kind: 'mismatch' };
        if (existing.state !== 'completed') return { kind: 'in_flight' };
        return {
          kind: 'completed',
          response: {
            status: existing.response_status ?? 200,
            headers: JSON.parse(existing.response_headers ?? '{}') as Record<string, string>,
            body: existing.response_body ?? '',
          },
        };
      }
      // Still contended after two rounds (another request claimed it meanwhile): report it as in flight.
      return { kind: 'in_flight' };
    },

    async complete(identity, response) {
      await db
        .updateTable('idempotency_keys')
        .set({
          state: 'completed',
          response_status: response.status,
          response_headers: JSON.stringify(response.headers),
          response_body: response.body,
        })
        .where('subject', '=', identity.subject)
        .where('route', '=', identity.route)
        .where('key', '=', identity.key)
        .where('state', '=', 'in_flight')
        .execute();
    },

    async release(identity) {
      await db
        .deleteFrom('idempotency_keys')
        .where('subject', '=', identity.subject)
        .where('route', '=', identity.route)
        .where('key', '=', identity.key)
        .where('state', '=', 'in_flight')
        .execute();
    },

    async purgeExpired() {
      const result = await db
        .deleteFrom('idempotency_keys')
        .where('expires_at', '<=', now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
