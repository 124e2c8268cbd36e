import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthTestServer, type OAuthTestServer } from './oauth-test-server.ts';

describe('OAuth: client credentials', () => {
  let auth: OAuthTestServer;

  beforeAll(async () => {
    auth = await startOAuthTestServer();
  });
  afterAll(async () => auth.close());

  async function requestToken(clientId: string, secret: string, scope = 'code:read code:write') {
    const client: oauth.Client = { client_id: clientId };
    const response = await oauth.clientCredentialsGrantRequest(
      auth.authorizationServer,
      client,
      oauth.ClientSecretBasic(secret),
      new URLSearchParams({ scope }),
      auth.http,
    );
    return oauth.processClientCredentialsResponse(auth.authorizationServer, client, response);
  }

  /** The token endpoint's error answer, read raw (status and OAuth error body). */
  async function tokenError(clientId: string, secret: string, scope = 'code:read') {
    const response = await oauth.clientCredentialsGrantRequest(
      auth.authorizationServer,
      { client_id: clientId },
      oauth.ClientSecretBasic(secret),
      new URLSearchParams({ scope }),
      auth.http,
    );
    const body = (await response.json()) as { error: string; error_description?: string };
    return { status: response.status, ...body };
  }

  it('serves the same metadata at the root discovery aliases and under the issuer', async () => {
    const documents = await Promise.all(
      [
        '/.well-known/oauth-authorization-server',
        '/.well-known/openid-configuration',
        '/oauth/.well-known/openid-configuration',
      ].map(async (path) => (await fetch(`${auth.url}${path}`)).json() as Promise<Record<string, unknown>>),
    );
    for (const document of documents) expect(document).toEqual(documents[2]);
    expect(documents[0]).toMatchObject({
      issuer: `${auth.url}/oauth`,
      token_endpoint: `${auth.url}/oauth/token`,
      jwks_uri: `${auth.url}/oauth/jwks`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      grant_types_supported: expect.arrayContaining([
        'authorization_code',
        'client_credentials',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code',
      ]) as unknown,
      introspection_endpoint: `${auth.url}/oauth/token/introspection`,
      revocation_endpoint: `${auth.url}/oauth/token/revocation`,
    });
    expect(documents[0]?.grant_types_supported).not.toContain('implicit');
    expect(documents[0]?.grant_types_supported).not.toContain('password');
  });

  it('issues an ES256 at+jwt for the API that verifies against the published JWKS', async () => {
    const { client, clientSecret } = await auth.clients.create({
      name: 'ci-bot',
      grants: ['client_credentials'],
      scopes: ['code:read', 'code:write'],
    });
    const result = await requestToken(client.clientId, clientSecret!);
    expect(result).toMatchObject({ token_type: 'bearer', expires_in: 600, scope: 'code:read code:write' });
    expect(result.refresh_token).toBeUndefined();

    const jwks = createRemoteJWKSet(new URL(auth.authorizationServer.jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(result.access_token, jwks, {
      issuer: `${auth.url}/oauth`,
      audience: `${auth.url}/v3`,
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });
    expect(protectedHeader).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: expect.any(String) as unknown,
    });
    expect(payload).toMatchObject({
      sub: client.clientId,
      client_id: client.clientId,
      scope: 'code:read code:write',
      jti: expect.any(String) as unknown,
    });
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it('refuses scopes the client was not registered with (invalid_scope)', async () => {
    const { client, clientSecret } = await auth.clients.create({
      name: 'reader',
      grants: ['client_credentials'],
      scopes: ['code:read'],
    });
    const error = await tokenError(client.clientId, clientSecret!, 'code:read admin');
    expect(error.error).toBe('invalid_scope');
  });

  it('answers invalid_client for an unknown client and for a wrong secret', async () => {
    expect((await tokenError('plumb_unknown', 'whatever')).error).toBe('invalid_client');
    const { client } = await auth.clients.create({
      name: 'wrong-secret',
      grants: ['client_credentials'],
      scopes: ['code:read'],
    });
    const error = await tokenError(client.clientId, 'not-the-secret');
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
  });

  it('stops issuing tokens to a client revoked while the server runs', async () => {
    const { client, clientSecret } = await auth.clients.create({
      name: 'soon-revoked',
      grants: ['client_credentials'],
      scopes: ['code:read'],
    });
    await requestToken(client.clientId, clientSecret!, 'code:read');
    expect(await auth.clients.revoke(client.clientId)).toBe(true);
    expect((await tokenError(client.clientId, clientSecret!)).error).toBe('invalid_client');
  });

  it('stores only a hash of the client secret', async () => {
    const { client, clientSecret } = await auth.clients.create({
      name: 'hashed',
      grants: ['client_credentials'],
      scopes: ['code:read'],
    });
    const row = await auth.server.plumb.storage.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('client_id', '=', client.clientId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(clientSecret!);
    expect(row.secret_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('does not introspect JWT access tokens (they are verified locally; refresh tokens introspect)', async () => {
    const { client, clientSecret } = await auth.clients.create({
      name: 'introspector',
      grants: ['client_credentials'],
      scopes: ['code:read'],
    });
    const { access_token: token } = await requestToken(client.clientId, clientSecret!, 'code:read');
    const response = await oauth.introspectionRequest(
      auth.authorizationServer,
      { client_id: client.clientId },
      oauth.ClientSecretBasic(clientSecret!),
      token,
      auth.http,
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(400);
    expect(body.error).toBe('unsupported_token_type');
  });

  it('manages clients through /v3/admin/clients (with an admin token)', async () => {
    const { client: admin, clientSecret: adminSecret } = await auth.clients.create({
      name: 'admin-bot',
      grants: ['client_credentials'],
      scopes: ['admin'],
    });
    const { access_token: adminToken } = await requestToken(admin.clientId, adminSecret!, 'admin');
    const authorization = { authorization: `Bearer ${adminToken}` };
    const created = await fetch(`${auth.url}/v3/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization },
      body: JSON.stringify({ name: 'from-api', grants: ['client_credentials'], scopes: ['usage:read'] }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { client_id: string; client_secret: string };
    expect(body).toMatchObject({ object: 'oauth.client', name: 'from-api', scopes: ['usage:read'] });
    expect((await requestToken(body.client_id, body.client_secret, 'usage:read')).scope).toBe('usage:read');

    const list = (await (await fetch(`${auth.url}/v3/admin/clients`, { headers: authorization })).json()) as {
      data: Array<{ client_id: string }>;
    };
    expect(list.data.map((client) => client.client_id)).toContain(body.client_id);
    expect(JSON.stringify(list)).not.toContain(body.client_secret);

    const revoked = await fetch(`${auth.url}/v3/admin/clients/${body.client_id}`, {
      method: 'DELETE',
      headers: authorization,
    });
    expect(((await revoked.json()) as { revoked_at: number | null }).revoked_at).toEqual(expect.any(Number));
    expect((await tokenError(body.client_id, body.client_secret, 'usage:read')).error).toBe('invalid_client');

    const missing = await fetch(`${auth.url}/v3/admin/clients/plumb_nope`, {
      method: 'DELETE',
      headers: authorization,
    });
    expect(missing.status).toBe(404);
    const invalid = await fetch(`${auth.url}/v3/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization },
      body: JSON.stringify({ name: 'x', grants: ['password'], scopes: ['code:read'] }),
    });
    expect(((await invalid.json()) as { error: { param: string } }).error.param).toBe('grants.0');
  });
});
