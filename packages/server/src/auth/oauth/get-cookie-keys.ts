import { randomBytes, randomUUID } from 'node:crypto';
import type { Storage } from '../../storage/index.ts';

/**
 * The keys oidc-provider signs its cookies with (newest first), generated and stored on first start so
 * sessions and interactions survive restarts and work across processes sharing the database.
 *
 * @example
 * const provider = new Provider(issuer, { cookies: { keys: await getCookieKeys(storage) } });
 */
export async function getCookieKeys(storage: Storage): Promise<string[]> {
  const read = async () =>
    (await storage.db.selectFrom('cookie_keys').select('secret').orderBy('created_at', 'desc').execute()).map(
      (row) => row.secret,
    );
  const keys = await read();
  if (keys.length > 0) return keys;
  await storage.db
    .insertInto('cookie_keys')
    .values({ id: randomUUID(), secret: randomBytes(32).toString('base64url'), created_at: Date.now() })
    .execute();
  return read();
}
