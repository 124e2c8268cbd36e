import { exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientStore } from '../src/auth/oauth/client-store.ts';
import { createSigningKeyStore } from '../src/auth/oauth/signing-key-store.ts';
import { errorOf, startAuthTestServer, type AuthTestServer } from './auth-test-server.ts';

/** Whatever `SignJWT#sign` accepts: a private key, or HMAC secret bytes. */
type SigningKey = Parameters<SignJWT['sign']>[0];

describe('auth: JWT access tokens', () => {
  let auth: AuthTestServer;
  let signingJwk: JWK;
  let publicJwk: JWK;
  let issuer: string;
  let audience: string;

  beforeAll(async () => {
    auth = await startAuthTestServer();
    // The authorization server's own key, from the same store it signs with.
    const store = createSigningKeyStore(auth.server.plumb.storage);
    signingJwk = (await store.getSigningJwks()).keys[0]!;
    publicJwk = (await store.getPublicJwks()).keys[0]!;
    issuer = `${auth.url}/oauth`;
    audience = `${auth.url}/v3`;
  });
  afterAll(async () => auth.close());

  async function token(
    options: {
      claims?: JWTPayload;
      header?: Record<string, unknown>;
      key?: SigningKey;
      algorithm?: string;
    } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: issuer,
      aud: audience,
      sub: 'ci-bot',
      client_id: 'ci-bot',
      scope: 'code:read code:write',
      iat: now,
      exp: now + 600,
      jti: crypto.randomUUID(),
      ...options.claims,
    })
      .setProtectedHeader({
        alg: options.algorithm ?? 'ES256',
        typ: 'at+jwt',
        kid: signingJwk.kid,
        ...options.header,
      })
      .sign(options.key ?? (await importJWK(signingJwk, 'ES256')));
  }

  async function expectInvalidToken(accessToken: string, description: RegExp) {
    const response = await auth.call('GET', '/v3/models', { token: accessToken });
    expect(response.status).toBe(401);
    expect(errorOf(response.body).code).toBe('invalid_token');
    expect(errorOf(response.body).message).toMatch(description);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    expect(challenge).toMatch(description);
  }

  it('accepts a valid token and takes subject, client and scopes from it (no API key warning)', async () => {
    const response = await auth.call('GET', '/v3/models', { token: await token() });
    expect(response.status).toBe(200);
    expect(response.headers.get('warning')).toBeNull();
    const chat = await auth.call('POST', '/v3/chat/completions', {
      token: await token({ claims: { scope: 'code:read' } }),
      body: { model: auth.model, mode: 'code', messages: [{ role: 'user', content: 'x' }] },
    });
    expect(chat.status).toBe(403);
    expect(chat.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="code:write"',
    );
  });

  it('accepts a token from the real client credentials grant, with the client scopes only', async () => {
    const { client, clientSecret } = await createClientStore(auth.server.plumb.storage).create({
      name: 'ci-bot',
      grants: ['client_credentials'],
      scopes: ['code:read'],
      redirectUris: [],
      confidential: true,
    });
    const response = await fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${clientSecret ?? ''}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'code:read' }).toString(),
    });
    expect(response.status).toBe(200);
    const { access_token: accessToken } = (await response.json()) as { access_token: string };
    expect((await auth.call('GET', '/v3/models', { token: accessToken })).status).toBe(200);
    const chat = { model: auth.model, messages: [{ role: 'user', content: 'Hi' }] };
    const read = await auth.call('POST', '/v3/chat/completions', {
      token: accessToken,
      body: { ...chat, mode: 'chat' },
    });
    expect(read.status).toBe(200);
    const write = await auth.call('POST', '/v3/chat/completions', {
      token: accessToken,
      body: { ...chat, mode: 'code' },
    });
    expect(write.status).toBe(403);
    expect((await auth.call('GET', '/v3/admin/api-keys', { token: accessToken })).status).toBe(403);
  });

  it('refuses an expired token, allowing 5 s of clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidToken(await token({ claims: { exp: now - 60, iat: now - 700 } }), /has expired/);
    const skewed = await token({ claims: { exp: now - 2, iat: now - 600 } });
    expect((await auth.call('GET', '/v3/models', { token: skewed })).status).toBe(200);
  });

  it('refuses a token for another audience', async () => {
    await expectInvalidToken(
      await token({ claims: { aud: 'https://elsewhere.example/v3' } }),
      /for another audience; this API accepts tokens for http:\/\/127\.0\.0\.1:\d+\/v3/,
    );
  });

  it('refuses a token from another issuer', async () => {
    await expectInvalidToken(
      await token({ claims: { iss: 'https://evil.example/oauth' } }),
      /issued by another issuer/,
    );
  });

  it('refuses a token of the wrong type (typ JWT, e.g. an ID token)', async () => {
    await expectInvalidToken(await token({ header: { typ: 'JWT' } }), /wrong type/);
  });

  it('refuses an unsigned alg: none token', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'at+jwt', kid: signingJwk.kid })}.${encode({
      iss: issuer,
      aud: audience,
      sub: 'ci-bot',
      client_id: 'ci-bot',
      scope: 'admin',
      iat: now,
      exp: now + 600,
    })}.`;
    await expectInvalidToken(unsigned, /disallowed algorithm; only ES256/);
  });

  it('refuses an HS256 token signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const publicKeyPem = await exportSPKI(
      (await importJWK(publicJwk, 'ES256')) as Parameters<typeof exportSPKI>[0],
    );
    for (const secret of [publicKeyPem, JSON.stringify(publicJwk)]) {
      const confused = await token({ algorithm: 'HS256', key: new TextEncoder().encode(secret) });
      await expectInvalidToken(confused, /disallowed algorithm; only ES256/);
    }
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, payload, signature] = (await token({ claims: { scope: 'code:read' } })).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const altered = Buffer.from(JSON.stringify({ ...claims, scope: 'code:read admin' })).toString(
      'base64url',
    );
    await expectInvalidToken(`${header}.${altered}.${signature}`, /signature does not verify/);
    const flipped = signature!.slice(0, 10) + (signature![10] === 'A' ? 'B' : 'A') + signature!.slice(11);
    await expectInvalidToken(`${header}.${payload}.${flipped}`, /signature does not verify/);
  });

  it('refuses a token signed by a key this server does not publish', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expectInvalidToken(
      await token({ key: privateKey, header: { kid: 'someone-elses-key' } }),
      /key this server does not publish/,
    );
    await expectInvalidToken(await token({ key: privateKey }), /signature does not verify/);
  });

  it('refuses garbage and tokens without a client_id', async () => {
    await expectInvalidToken('not-a-jwt', /not a JWT/);
    await expectInvalidToken(await token({ claims: { client_id: undefined } }), /no client_id claim/);
  });
});
