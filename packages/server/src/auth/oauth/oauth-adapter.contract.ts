import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage/index.ts';
import { createClientStore } from './client-store.ts';
import { createOAuthAdapter } from './create-oauth-adapter.ts';

/**
 * The behaviour oidc-provider relies on from its persistence adapter, run against every `Storage`
 * implementation (each test file passes a factory for a fresh, empty, migrated storage).
 *
 * @example
 * runOAuthAdapterContract({ name: 'sqlite', create: () => createSqliteStorage({ filename }) });
 */
export function runOAuthAdapterContract(options: {
  name: string;
  create: () => Promise<Storage>;
  skip?: string | false;
}): void {
  describe.skipIf(Boolean(options.skip))(`OAuth adapter contract: ${options.name}`, () => {
    const opened: Storage[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((storage) => storage.close()));
    });
    const open = async () => {
      const storage = await options.create();
      opened.push(storage);
      const factory = createOAuthAdapter(storage, { clients: createClientStore(storage) });
      return { storage, factory };
    };

    it('upserts, finds, overwrites and destroys by id, per model', async () => {
      const { factory } = await open();
      const refreshTokens = factory('RefreshToken');
      const codes = factory('AuthorizationCode');
      await refreshTokens.upsert('same-id', { grantId: 'g1', clientId: 'c1', scope: 'a' }, 60);
      await codes.upsert('same-id', { grantId: 'g1', scope: 'other model' }, 60);
      expect(await refreshTokens.find('same-id')).toEqual({ grantId: 'g1', clientId: 'c1', scope: 'a' });
      await refreshTokens.upsert('same-id', { grantId: 'g1', clientId: 'c1', scope: 'b' }, 60);
      expect(await refreshTokens.find('same-id')).toMatchObject({ scope: 'b' });
      await refreshTokens.destroy('same-id');
      expect(await refreshTokens.find('same-id')).toBeUndefined();
      expect(await codes.find('same-id')).toMatchObject({ scope: 'other model' });
      expect(await refreshTokens.find('never-stored')).toBeUndefined();
    });

    it('marks consumed records, and reports consumption in epoch seconds', async () => {
      const { factory } = await open();
      const adapter = factory('RefreshToken');
      await adapter.upsert('rt', { grantId: 'g' }, 60);
      expect((await adapter.find('rt'))?.consumed).toBeUndefined();
      const before = Math.floor(Date.now() / 1000);
      await adapter.consume('rt');
      const consumed = (await adapter.find('rt'))?.consumed as number;
      expect(consumed).toBeGreaterThanOrEqual(before);
      expect(consumed).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    });

    it('hides expired records and keeps records without expiry', async () => {
      const { factory } = await open();
      const adapter = factory('Session');
      await adapter.upsert('short', { uid: 'u-short' }, 0.001);
      await adapter.upsert('forever', { uid: 'u-forever' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await adapter.find('short')).toBeUndefined();
      expect(await adapter.findByUid('u-short')).toBeUndefined();
      expect(await adapter.find('forever')).toEqual({ uid: 'u-forever' });
    });

    it('finds by uid and by user code', async () => {
      const { factory } = await open();
      await factory('Session').upsert('session-1', { uid: 'uid-1', accountId: 'user_1' }, 60);
      await factory('DeviceCode').upsert('device-1', { userCode: 'ABCD-EFGH', grantId: 'g' }, 60);
      expect(await factory('Session').findByUid('uid-1')).toMatchObject({ accountId: 'user_1' });
      expect(await factory('DeviceCode').findByUserCode('ABCD-EFGH')).toMatchObject({ grantId: 'g' });
      expect(await factory('DeviceCode').findByUserCode('WXYZ-WXYZ')).toBeUndefined();
    });

    it('revokes by grant id only within its model and only that grant', async () => {
      const { factory } = await open();
      const refreshTokens = factory('RefreshToken');
      await refreshTokens.upsert('rt-1', { grantId: 'grant-a' }, 60);
      await refreshTokens.upsert('rt-2', { grantId: 'grant-a' }, 60);
      await refreshTokens.upsert('rt-3', { grantId: 'grant-b' }, 60);
      await factory('AuthorizationCode').upsert('code-1', { grantId: 'grant-a' }, 60);
      await refreshTokens.revokeByGrantId('grant-a');
      expect(await refreshTokens.find('rt-1')).toBeUndefined();
      expect(await refreshTokens.find('rt-2')).toBeUndefined();
      expect(await refreshTokens.find('rt-3')).toBeDefined();
      expect(await factory('AuthorizationCode').find('code-1')).toBeDefined();
    });

    it('reads clients from the client store, live, with the secret only as a hash', async () => {
      const { storage, factory } = await open();
      const clients = createClientStore(storage);
      const { client, clientSecret } = await clients.create({
        name: 'contract',
        grants: ['client_credentials'],
        scopes: ['code:read'],
      });
      const metadata = await factory('Client').find(client.clientId);
      expect(metadata).toMatchObject({
        client_id: client.clientId,
        client_name: 'contract',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'code:read',
      });
      expect(metadata?.client_secret).not.toBe(clientSecret);
      await factory('RefreshToken').upsert('rt-of-client', { grantId: 'g', clientId: client.clientId }, 60);
      await clients.revoke(client.clientId);
      expect(await factory('Client').find(client.clientId)).toBeUndefined();
      expect(await factory('RefreshToken').find('rt-of-client')).toBeUndefined();
    });

    it('keeps payloads with quotes and unicode verbatim', async () => {
      const { factory } = await open();
      const payload = { grantId: "g'; DROP TABLE oauth_records; --", extra: { note: 'ünïcode 🚀 "quoted"' } };
      await factory('Grant').upsert("id'--", payload, 60);
      expect(await factory('Grant').find("id'--")).toEqual(payload);
    });
  });
}
