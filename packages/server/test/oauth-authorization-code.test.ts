import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browse, CookieJar, startOAuthTestServer, type OAuthTestServer } from './oauth-test-server.ts';

const redirectUri = 'http://127.0.0.1:9/callback';
const login = { username: 'ada', password: 'correct horse battery staple' };

describe('OAuth: authorization code with PKCE, refresh rotation', () => {
  let auth: OAuthTestServer;
  let client: oauth.Client;
  const none = oauth.None();

  beforeAll(async () => {
    auth = await startOAuthTestServer();
    await auth.users.create(login);
    const created = await auth.clients.create({
      name: 'My IDE',
      grants: ['authorization_code'],
      scopes: ['code:read', 'code:write'],
      redirectUris: [redirectUri],
    });
    client = { client_id: created.client.clientId };
  });
  afterAll(async () => auth.close());

  function authorizationUrl(parameters: Record<string, string>): string {
    const url = new URL(auth.authorizationServer.authorization_endpoint!);
    for (const [key, value] of Object.entries({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'code:read code:write',
      ...parameters,
    })) {
      url.searchParams.set(key, value);
    }
    return url.href;
  }

  /** Runs the browser part and returns the callback URL with the code. */
  async function authorize(verifier: string, state: string) {
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const start = authorizationUrl({ code_challenge: challenge, code_challenge_method: 'S256', state });
    const result = await browse({ start, baseUrl: auth.url, login, consent: 'allow', stopAt: redirectUri });
    expect(result.location).toBeDefined();
    return new URL(result.location!);
  }

  async function exchange(callback: URL, verifier: string, state: string) {
    const parameters = oauth.validateAuthResponse(auth.authorizationServer, client, callback, state);
    return oauth.authorizationCodeGrantRequest(
      auth.authorizationServer,
      client,
      none,
      parameters,
      redirectUri,
      verifier,
      auth.http,
    );
  }

  async function refresh(refreshToken: string) {
    const response = await oauth.refreshTokenGrantRequest(
      auth.authorizationServer,
      client,
      none,
      refreshToken,
      auth.http,
    );
    return {
      status: response.status,
      body: (await response.clone().json()) as Record<string, unknown>,
      response,
    };
  }

  it('signs in on the login page, asks for consent, and issues a JWT for the user plus a refresh token', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const callback = await authorize(verifier, state);
    const result = await oauth.processAuthorizationCodeResponse(
      auth.authorizationServer,
      client,
      await exchange(callback, verifier, state),
    );
    expect(result.scope).toBe('code:read code:write');
    expect(result.refresh_token).toEqual(expect.any(String));
    const { payload } = await jwtVerify(
      result.access_token,
      createRemoteJWKSet(new URL(auth.authorizationServer.jwks_uri!)),
      { issuer: `${auth.url}/oauth`, audience: `${auth.url}/v3`, algorithms: ['ES256'], typ: 'at+jwt' },
    );
    const user = await auth.server.plumb.storage.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', login.username)
      .executeTakeFirstOrThrow();
    expect(payload).toMatchObject({
      sub: user.id,
      client_id: client.client_id,
      scope: 'code:read code:write',
    });
  });

  it('shows the login page again, with 401, for a wrong password', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const start = authorizationUrl({
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'x',
    });
    const result = await browse({
      start,
      baseUrl: auth.url,
      login: { username: login.username, password: 'wrong password' },
      stopAt: redirectUri,
    });
    expect(result.status).toBe(401);
    expect(result.page).toContain('Wrong username or password');
  });

  it('escapes what it echoes on the login page', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const start = authorizationUrl({
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'x',
    });
    const result = await browse({
      start,
      baseUrl: auth.url,
      login: { username: '"><script>alert(1)</script>', password: 'whatever1' },
    });
    expect(result.page).toContain('&quot;&gt;&lt;script&gt;');
    expect(result.page).not.toContain('<script>alert(1)');
  });

  it('rejects a wrong PKCE verifier with invalid_grant', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const callback = await authorize(verifier, state);
    const response = await exchange(callback, oauth.generateRandomCodeVerifier(), state);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'grant request is invalid',
    });
  });

  async function authorizationError(parameters: Record<string, string>) {
    const response = await fetch(authorizationUrl(parameters), { redirect: 'manual' });
    const location = response.headers.get('location');
    if (location !== null) {
      const url = new URL(location);
      // Errors for response_type=token go in the fragment (its default response mode).
      return Object.fromEntries(new URLSearchParams(url.hash.slice(1) || url.search));
    }
    return { status: String(response.status), page: await response.text() };
  }

  it('refuses code_challenge_method=plain, a missing challenge, and response_type=token', async () => {
    expect(
      await authorizationError({
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'plain',
        state: 's',
      }),
    ).toMatchObject({
      error: 'invalid_request',
      error_description: 'not supported value of code_challenge_method',
    });
    expect(await authorizationError({ state: 's' })).toMatchObject({
      error: 'invalid_request',
      error_description: 'Authorization Server policy requires PKCE to be used for this request',
    });
    expect(
      await authorizationError({
        response_type: 'token',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
        state: 's',
      }),
    ).toMatchObject({ error: 'unsupported_response_type' });
  });

  it('refuses a redirect URI that is not registered exactly (no redirect, an error page)', async () => {
    for (const uri of [`${redirectUri}/extra`, 'http://127.0.0.1:10/callback', `${redirectUri}?a=1`]) {
      const result = await authorizationError({
        redirect_uri: uri,
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
        state: 's',
      });
      expect(result.status).toBe('400');
      expect(result.page).toContain('redirect_uri did not match any of the client');
    }
  });

  it('rotates refresh tokens, and a reused one revokes the whole grant', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const callback = await authorize(verifier, state);
    const first = await oauth.processAuthorizationCodeResponse(
      auth.authorizationServer,
      client,
      await exchange(callback, verifier, state),
    );

    const second = await refresh(first.refresh_token!);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toEqual(expect.any(String));
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.scope).toBe('code:read code:write');

    const third = await refresh(second.body.refresh_token as string);
    expect(third.status).toBe(200);

    // The first token was rotated away: using it again is theft or a bug, so the grant goes.
    const reused = await refresh(first.refresh_token!);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'grant request is invalid',
    });
    const afterRevocation = await refresh(third.body.refresh_token as string);
    expect(afterRevocation.status).toBe(400);
    expect(afterRevocation.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes refresh tokens at the revocation endpoint, and introspects them', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const tokens = await oauth.processAuthorizationCodeResponse(
      auth.authorizationServer,
      client,
      await exchange(await authorize(verifier, state), verifier, state),
    );
    const introspect = async () =>
      (await (
        await oauth.introspectionRequest(
          auth.authorizationServer,
          client,
          none,
          tokens.refresh_token!,
          auth.http,
        )
      ).json()) as Record<string, unknown>;
    expect(await introspect()).toMatchObject({
      active: true,
      client_id: client.client_id,
      scope: 'code:read code:write',
    });
    const revoked = await oauth.revocationRequest(
      auth.authorizationServer,
      client,
      none,
      tokens.refresh_token!,
      auth.http,
    );
    expect(revoked.status).toBe(200);
    expect(await introspect()).toEqual({ active: false });
    expect((await refresh(tokens.refresh_token!)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('stops refreshing for a client revoked while the server runs', async () => {
    const created = await auth.clients.create({
      name: 'Revoked IDE',
      grants: ['authorization_code'],
      scopes: ['code:read'],
      redirectUris: [redirectUri],
    });
    const revokedClient = { client_id: created.client.clientId };
    const verifier = oauth.generateRandomCodeVerifier();
    const start = new URL(auth.authorizationServer.authorization_endpoint!);
    start.search = new URLSearchParams({
      client_id: revokedClient.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'code:read',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'st',
    }).toString();
    const jar = new CookieJar();
    const result = await browse({
      start: start.href,
      baseUrl: auth.url,
      jar,
      login,
      consent: 'allow',
      stopAt: redirectUri,
    });
    const parameters = oauth.validateAuthResponse(
      auth.authorizationServer,
      revokedClient,
      new URL(result.location!),
      'st',
    );
    const tokens = await oauth.processAuthorizationCodeResponse(
      auth.authorizationServer,
      revokedClient,
      await oauth.authorizationCodeGrantRequest(
        auth.authorizationServer,
        revokedClient,
        none,
        parameters,
        redirectUri,
        verifier,
        auth.http,
      ),
    );
    await auth.clients.revoke(revokedClient.client_id);
    const response = await oauth.refreshTokenGrantRequest(
      auth.authorizationServer,
      revokedClient,
      none,
      tokens.refresh_token!,
      auth.http,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
