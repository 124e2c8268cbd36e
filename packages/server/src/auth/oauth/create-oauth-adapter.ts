import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { Storage } from '../../storage/index.ts';

/** Where the adapter looks clients up: registered clients live in their own table (`client-store.ts`). */
export interface ClientLookup {
  findMetadata(clientId: string): Promise<AdapterPayload | undefined>;
}

/** One in this many writes also deletes expired rows, so the table does not grow without bound. */
const cleanupEvery = 200;

/**
 * oidc-provider's persistence adapter on Plumb's `Storage` (table `oauth_records`), the same code for SQLite
 * and PostgreSQL. Each oidc-provider model (Grant, RefreshToken, DeviceCode, Session, Interaction...) gets an
 * adapter bound to its name; clients are read from the client store on every lookup, so clients created or
 * revoked while the server runs (by the CLI or the admin API) take effect at once.
 *
 * @example
 * const provider = new Provider(issuer, { adapter: createOAuthAdapter(storage, { clients }) });
 */
export function createOAuthAdapter(storage: Storage, options: { clients: ClientLookup }): AdapterFactory {
  let writes = 0;
  return (name: string): Adapter => {
    if (name === 'Client') return createClientAdapter(options.clients);
    const db = storage.db;
    const findWhere = async (column: 'id' | 'user_code' | 'uid', value: string) => {
      const row = await db
        .selectFrom('oauth_records')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', name)
        .where(column, '=', value)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      if (row.expires_at !== null && Number(row.expires_at) <= Date.now()) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      // oidc-provider's reuse detection (refresh token rotation, one-time codes) reads `consumed`.
      if (row.consumed_at !== null) payload.consumed = Math.floor(Number(row.consumed_at) / 1000);
      return payload;
    };

    return {
      async upsert(id, payload, expiresIn) {
        const now = Date.now();
        const row = {
          payload: JSON.stringify(payload),
          grant_id: payload.grantId ?? null,
          user_code: payload.userCode ?? null,
          uid: payload.uid ?? null,
          client_id: payload.clientId ?? null,
          expires_at: expiresIn ? now + expiresIn * 1000 : null,
        };
        await db
          .insertInto('oauth_records')
          .values({ model: name, id, consumed_at: null, ...row })
          .onConflict((conflict) => conflict.columns(['model', 'id']).doUpdateSet(row))
          .execute();
        writes += 1;
        if (writes % cleanupEvery === 0) {
          await db.deleteFrom('oauth_records').where('expires_at', '<=', now).execute();
        }
      },
      find: (id) => findWhere('id', id),
      findByUserCode: (userCode) => findWhere('user_code', userCode),
      findByUid: (uid) => findWhere('uid', uid),
      async consume(id) {
        await db
          .updateTable('oauth_records')
          .set({ consumed_at: Date.now() })
          .where('model', '=', name)
          .where('id', '=', id)
          .execute();
      },
      async destroy(id) {
        await db.deleteFrom('oauth_records').where('model', '=', name).where('id', '=', id).execute();
      },
      async revokeByGrantId(grantId) {
        await db
          .deleteFrom('oauth_records')
          .where('model', '=', name)
          .where('grant_id', '=', grantId)
          .execute();
      },
    };
  };
}

function createClientAdapter(clients: ClientLookup): Adapter {
  const readOnly = async () => {
    // Dynamic registration is off; clients change only through `plumb clients` and /v3/admin/clients.
    throw new Error('Clients are managed by plumb clients and /v3/admin/clients, not through oidc-provider.');
  };
  return {
    find: (id) => clients.findMetadata(id),
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    upsert: readOnly,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: async () => undefined,
  };
}
