import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PlumbError } from '@plumb/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../storage/create-postgres-storage.ts';
import { createSqliteStorage } from '../storage/create-sqlite-storage.ts';
import type { Storage } from '../storage/index.ts';
import { apiKeyCacheMs, createApiKeyStore } from './api-key-store.ts';

// Where the test database is (read by the test, not the server), as in create-postgres-storage.test.ts.
const postgresUrl = process.env.PLUMB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresAvailable = await (async () => {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
})();

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanUp of cleanups.splice(0)) await cleanUp();
});

const backends: Array<{ name: string; skip: boolean; open: () => Promise<Storage> }> = [
  {
    name: 'sqlite',
    skip: false,
    async open() {
      const directory = await mkdtemp(join(tmpdir(), 'plumb-api-keys-'));
      const storage = await createSqliteStorage({ filename: join(directory, 'plumb.db') });
      cleanups.push(async () => {
        await storage.close();
        await rm(directory, { recursive: true, force: true });
      });
      return storage;
    },
  },
  {
    name: 'postgres',
    skip: !postgresAvailable,
    async open() {
      const schema = `plumb_keys_${randomBytes(4).toString('hex')}`;
      const storage = await createPostgresStorage({ connectionString: postgresUrl, schema });
      cleanups.push(async () => {
        await storage.db.schema.dropSchema(schema).ifExists().cascade().execute();
        await storage.close();
      });
      return storage;
    },
  },
];

const rejectsWith = (pattern: RegExp) => (error: unknown) =>
  error instanceof PlumbError && error.code === 'invalid_api_key' && pattern.test(error.message);

describe.each(backends)('createApiKeyStore on $name', ({ skip, open }) => {
  it.skipIf(skip)('creates, authenticates, lists, expires and revokes keys', async () => {
    const apiKeys = createApiKeyStore(await open());
    const { apiKey, key } = await apiKeys.create({ name: 'laptop', scopes: ['code:write', 'code:read'] });
    expect(apiKey).toMatchObject({ name: 'laptop', scopes: ['code:read', 'code:write'], revokedAt: null });
    expect(await apiKeys.authenticate(key)).toEqual({
      subject: `key_${apiKey.id}`,
      kind: 'api_key',
      scopes: ['code:read', 'code:write'],
      clientId: null,
      apiKeyId: apiKey.id,
    });
    expect((await apiKeys.get(apiKey.id))?.lastUsedAt).toEqual(expect.any(Number));

    const expired = await apiKeys.create({ name: 'old', scopes: ['code:read'], expiresAt: Date.now() - 1 });
    await expect(apiKeys.authenticate(expired.key)).rejects.toSatisfy(rejectsWith(/expired on/));
    expect((await apiKeys.list()).map((listed) => listed.name).sort()).toEqual(['laptop', 'old']);

    const revoked = await apiKeys.revoke(apiKey.id);
    expect(revoked?.revokedAt).toEqual(expect.any(Number));
    expect((await apiKeys.revoke(apiKey.id))?.revokedAt).toBe(revoked?.revokedAt);
    await expect(apiKeys.authenticate(key)).rejects.toSatisfy(rejectsWith(/was revoked/));
    expect(await apiKeys.revoke('nope')).toBeUndefined();
  });

  it.skipIf(skip)(
    'remembers a key for at most a second, so another process revoking it takes effect within that time',
    async () => {
      const storage = await open();
      let clock = Date.now();
      const server = createApiKeyStore(storage, { now: () => clock });
      const adminProcess = createApiKeyStore(storage);
      const { apiKey, key } = await server.create({ name: 'ci', scopes: ['code:read'] });
      expect((await server.authenticate(key)).apiKeyId).toBe(apiKey.id);

      await adminProcess.revoke(apiKey.id);
      clock += apiKeyCacheMs - 1;
      expect((await server.authenticate(key)).apiKeyId).toBe(apiKey.id);
      clock += 1;
      await expect(server.authenticate(key)).rejects.toSatisfy(rejectsWith(/was revoked/));

      // A key unknown at first and created later (by another process) is found on the next request.
      const unknown = `plb_${'A'.repeat(43)}`;
      await expect(server.authenticate(unknown)).rejects.toSatisfy(rejectsWith(/not known/));
      const later = await adminProcess.create({ name: 'later', scopes: ['code:read'] });
      expect((await server.authenticate(later.key)).apiKeyId).toBe(later.apiKey.id);
    },
  );
});
