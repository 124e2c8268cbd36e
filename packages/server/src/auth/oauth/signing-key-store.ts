import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Storage } from '../../storage/index.ts';

export interface SigningKeyStore {
  /** Private JWKs for oidc-provider: the active (newest) key first, then keys still published. */
  getSigningJwks(): Promise<{ keys: JWK[] }>;
  /** Public JWKs of the same keys, for verifying access tokens (API auth) and for `jwks_uri`. */
  getPublicJwks(): Promise<{ keys: JWK[] }>;
  /**
   * Adds a new ES256 key, which becomes the active one; the previous keys stay published for 24 hours so
   * tokens they signed keep verifying. The running server signs with the new key after a restart.
   */
  rotate(): Promise<{ kid: string }>;
}

/** How long a replaced key stays in the JWKS (far longer than any access token lives). */
const retiredKeyPublishedMs = 24 * 60 * 60 * 1000;
const algorithm = 'ES256';

/**
 * Token signing keys in table `signing_keys`: generated on first use, rotatable, newest active. Several
 * processes may share the database (the CLI while the server runs); all read the same rows.
 *
 * @example
 * const keys = createSigningKeyStore(storage);
 * const { keys: publicKeys } = await keys.getPublicJwks();
 * await keys.rotate(); // then restart the server to sign with the new key
 */
export function createSigningKeyStore(storage: Storage): SigningKeyStore {
  const db = storage.db;

  async function publishedRows() {
    let rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
    if (rows.length === 0) {
      await insertKey();
      rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
    }
    const now = Date.now();
    // A key is published while it is the newest, or for 24 h after the next newer key replaced it.
    return rows.filter((_row, index) => {
      const replacedBy = rows[index - 1];
      return replacedBy === undefined || now - Number(replacedBy.created_at) < retiredKeyPublishedMs;
    });
  }

  async function insertKey(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const common = { kid, alg: algorithm, use: 'sig' };
    await db
      .insertInto('signing_keys')
      .values({
        kid,
        algorithm,
        private_jwk: JSON.stringify({ ...(await exportJWK(privateKey)), ...common }),
        public_jwk: JSON.stringify({ ...publicJwk, ...common }),
        created_at: Date.now(),
      })
      .execute();
    return kid;
  }

  return {
    async getSigningJwks() {
      return { keys: (await publishedRows()).map((row) => JSON.parse(row.private_jwk) as JWK) };
    },
    async getPublicJwks() {
      return { keys: (await publishedRows()).map((row) => JSON.parse(row.public_jwk) as JWK) };
    },
    async rotate() {
      return { kid: await insertKey() };
    },
  };
}
