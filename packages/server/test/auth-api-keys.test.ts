import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCacheMs } from '../src/auth/api-key-store.ts';
import { startAuthTestServer, errorOf, type AuthTestServer } from './auth-test-server.ts';

describe('auth: API keys', () => {
  let auth: AuthTestServer;

  beforeAll(async () => {
    auth = await startAuthTestServer();
  });
  afterAll(async () => auth.close());

  it('accepts a key with the scope, and every answer carries the Warning and a Link to the docs', async () => {
    const key = await auth.createKey(['code:read']);
    const models = await auth.call('GET', '/v3/models', { token: key });
    expect(models.status).toBe(200);
    expect(models.headers.get('warning')).toBe(
      '299 - "API keys are discouraged for production; use OAuth 2.0 client credentials (see /docs)"',
    );
    expect(models.headers.get('link')).toBe('</docs>; rel="help"');

    const chat = await auth.call('POST', '/v3/chat/completions', {
      token: key,
      body: { model: auth.model, mode: 'chat', stream: true, messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(chat.status).toBe(200);
    expect(chat.headers.get('content-type')).toContain('text/event-stream');
    expect(chat.headers.get('warning')).toContain('API keys are discouraged');
  });

  it('answers 403 insufficient_scope with the RFC 6750 challenge naming the scope', async () => {
    const key = await auth.createKey(['usage:read']);
    const response = await auth.call('GET', '/v3/models', { token: key });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="code:read"',
    );
    expect(errorOf(response.body).code).toBe('insufficient_scope');
    expect(errorOf(response.body).message).toContain('"code:read"');
    expect(errorOf(response.body).message).toContain('usage:read');
  });

  it('answers 401 unauthorized with a realm challenge when there are no credentials', async () => {
    const response = await auth.call('GET', '/v3/models');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="plumb"');
    expect(errorOf(response.body)).toMatchObject({ code: 'unauthorized' });
    expect(errorOf(response.body).message).toContain('Authorization: Bearer');

    const basic = await auth.call('GET', '/v3/models', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
    expect(errorOf(basic.body).code).toBe('unauthorized');
    expect(errorOf(basic.body).message).toContain('Bearer scheme');
  });

  it('refuses a key revoked through the admin API at once, saying it was revoked', async () => {
    const key = await auth.createKey(['code:read']);
    const admin = await auth.createKey(['admin']);
    expect((await auth.call('GET', '/v3/models', { token: key })).status).toBe(200);
    const [listed] = (await auth.apiKeys.list()).filter((apiKey) => apiKey.scopes.includes('code:read'));
    const revoked = await auth.call('DELETE', `/v3/admin/api-keys/${listed!.id}`, { token: admin });
    expect(revoked.status).toBe(200);
    const response = await auth.call('GET', '/v3/models', { token: key });
    expect(response.status).toBe(401);
    expect(errorOf(response.body).code).toBe('invalid_api_key');
    expect(errorOf(response.body).message).toMatch(/^The API key plb_\S+\.\.\. was revoked on \d{4}-/);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token", error_description="The API key .* was revoked/,
    );
  });

  it('refuses a key revoked by another process (plumb keys revoke) within a second', async () => {
    const key = await auth.createKey(['code:read']);
    expect((await auth.call('GET', '/v3/models', { token: key })).status).toBe(200);
    const [newest] = await auth.apiKeys.list();
    // `auth.apiKeys` is a store of its own on the server's storage, as the CLI's is.
    await auth.apiKeys.revoke(newest!.id);
    await new Promise((resolve) => setTimeout(resolve, apiKeyCacheMs));
    const response = await auth.call('GET', '/v3/models', { token: key });
    expect(response.status).toBe(401);
    expect(errorOf(response.body).message).toContain('was revoked');
  });

  it('refuses an expired key, saying it expired', async () => {
    const key = await auth.createKey(['code:read'], { expiresAt: Date.now() - 1000 });
    const response = await auth.call('GET', '/v3/models', { token: key });
    expect(response.status).toBe(401);
    expect(errorOf(response.body).code).toBe('invalid_api_key');
    expect(errorOf(response.body).message).toContain('expired on');
  });

  it('refuses unknown and malformed keys', async () => {
    const unknown = await auth.call('GET', '/v3/models', { token: `plb_${'A'.repeat(43)}` });
    expect(unknown.status).toBe(401);
    expect(errorOf(unknown.body).message).toContain('not known');
    const malformed = await auth.call('GET', '/v3/models', { token: 'plb_short' });
    expect(malformed.status).toBe(401);
    expect(errorOf(malformed.body)).toMatchObject({ code: 'invalid_api_key' });
    expect(errorOf(malformed.body).message).toContain('malformed');
  });

  it('records when a key was last used, at most once a minute', async () => {
    const key = await auth.createKey(['code:read']);
    const id = (await auth.apiKeys.list())[0]!.id;
    expect((await auth.apiKeys.get(id))?.lastUsedAt).toBeNull();
    await auth.call('GET', '/v3/models', { token: key });
    const first = (await auth.apiKeys.get(id))?.lastUsedAt;
    expect(first).toBeGreaterThan(Date.now() - 10_000);
    await auth.call('GET', '/v3/models', { token: key });
    expect((await auth.apiKeys.get(id))?.lastUsedAt).toBe(first);
  });

  it('stores only the SHA-256 hash and a short prefix of the key', async () => {
    const key = await auth.createKey(['code:read']);
    const rows = await auth.server.plumb.storage.db.selectFrom('api_keys').selectAll().execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(4, 20));
    expect(rows.some((row) => row.prefix === key.slice(0, 12))).toBe(true);
  });

  it('manages keys through /v3/admin/api-keys, which needs the admin scope', async () => {
    const reader = await auth.createKey(['code:read', 'code:write', 'usage:read']);
    const denied = await auth.call('GET', '/v3/admin/api-keys', { token: reader });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="admin"');

    const admin = await auth.createKey(['admin']);
    const created = await auth.call('POST', '/v3/admin/api-keys', {
      token: admin,
      body: { name: 'ci', scopes: ['code:read'], expires_in_seconds: 3600 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: 'api_key',
      name: 'ci',
      scopes: ['code:read'],
      revoked_at: null,
    });
    const newKey = created.body.key as string;
    expect(newKey).toMatch(/^plb_[A-Za-z0-9_-]{43}$/);
    expect(created.body.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect((await auth.call('GET', '/v3/models', { token: newKey })).status).toBe(200);

    const list = await auth.call('GET', '/v3/admin/api-keys', { token: admin });
    const listed = (list.body.data as Array<Record<string, unknown>>).find(
      (item) => item.id === created.body.id,
    );
    expect(listed).toMatchObject({ name: 'ci', prefix: newKey.slice(0, 12) });
    expect(listed).not.toHaveProperty('key');

    const revoked = await auth.call('DELETE', `/v3/admin/api-keys/${String(created.body.id)}`, {
      token: admin,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(Number));
    expect((await auth.call('GET', '/v3/models', { token: newKey })).status).toBe(401);

    const missing = await auth.call('DELETE', '/v3/admin/api-keys/nope', { token: admin });
    expect(missing.status).toBe(404);
    const invalid = await auth.call('POST', '/v3/admin/api-keys', {
      token: admin,
      body: { name: 'x', scopes: ['root'] },
    });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid.body)).toMatchObject({ code: 'invalid_request' });
  });

  it('keeps public routes public and unknown paths a plain 404', async () => {
    for (const path of ['/healthz', '/v3/openapi.json', '/docs', '/.well-known/oauth-authorization-server']) {
      const response = await fetch(`${auth.url}${path}`);
      expect(response.status, path).toBeLessThan(400);
    }
    const legacy = await auth.call('POST', '/v1/completions', { body: { prompt: 'x' } });
    expect(legacy.status).toBe(410);
    const unknown = await auth.call('GET', '/v3/nothing-here');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body).code).toBe('not_found');
  });
});

describe('auth: API keys switched off', () => {
  it('answers invalid_api_key explaining that keys are disabled (production profile default)', async () => {
    const auth = await startAuthTestServer({ environment: { PLUMB_PROFILE: 'production' } });
    try {
      const key = await auth.createKey();
      const response = await auth.call('GET', '/v3/models', { token: key });
      expect(response.status).toBe(401);
      expect(errorOf(response.body).code).toBe('invalid_api_key');
      expect(errorOf(response.body).message).toContain('API keys are disabled on this server');
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    } finally {
      await auth.close();
    }
  });
});
