import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browse, startOAuthTestServer, type OAuthTestServer } from './oauth-test-server.ts';

const login = { username: 'grace', password: 'another long password' };

/**
 * The device pages' forms (oidc-provider's, with their CSRF field): code entry, confirmation, and the
 * self-submitting form `verification_uri_complete` answers with. Returns the action and the fields to post.
 */
function deviceForm(page: string, userCode: string) {
  const form =
    /<form (?:id="op\.device(Input|Confirm)Form" )?[^>]*action="([^"]+\/device)"[^>]*>([\s\S]*?)<\/form>/.exec(
      page,
    );
  if (!form) return undefined;
  const hidden = Object.fromEntries(
    [...form[3]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((match) => [
      match[1]!,
      match[2]!,
    ]),
  );
  return { action: form[2]!, fields: { ...(form[1] === 'Input' ? { user_code: userCode } : {}), ...hidden } };
}

describe('OAuth: device authorization grant (RFC 8628)', () => {
  let auth: OAuthTestServer;
  let client: oauth.Client;
  const none = oauth.None();

  beforeAll(async () => {
    auth = await startOAuthTestServer();
    await auth.users.create(login);
    const created = await auth.clients.create({
      name: 'plumb CLI',
      grants: ['device_code'],
      scopes: ['code:read', 'code:write', 'usage:read'],
    });
    client = { client_id: created.client.clientId };
  });
  afterAll(async () => auth.close());

  async function poll(deviceCode: string) {
    const response = await oauth.deviceCodeGrantRequest(
      auth.authorizationServer,
      client,
      none,
      deviceCode,
      auth.http,
    );
    return { status: response.status, response };
  }

  it('is completed by a second "browser": code entry, login, consent; then the device gets tokens', async () => {
    const authorization = await oauth.processDeviceAuthorizationResponse(
      auth.authorizationServer,
      client,
      await oauth.deviceAuthorizationRequest(
        auth.authorizationServer,
        client,
        none,
        new URLSearchParams({ scope: 'code:read usage:read' }),
        auth.http,
      ),
    );
    expect(authorization).toMatchObject({
      verification_uri: `${auth.url}/oauth/device`,
      user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/) as unknown,
      expires_in: 600,
    });

    const pending = await poll(authorization.device_code);
    expect(pending.status).toBe(400);
    expect(await pending.response.json()).toMatchObject({ error: 'authorization_pending' });

    const result = await browse({
      start: authorization.verification_uri,
      baseUrl: auth.url,
      login,
      consent: 'allow',
      onOtherForm: (page) => deviceForm(page, authorization.user_code),
    });
    expect(result.status).toBe(200);
    expect(result.page).toContain('The device is signed in');

    const tokens = await oauth.processDeviceCodeResponse(
      auth.authorizationServer,
      client,
      (await poll(authorization.device_code)).response,
    );
    expect(tokens.scope).toBe('code:read usage:read');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const { payload } = await jwtVerify(
      tokens.access_token,
      createRemoteJWKSet(new URL(auth.authorizationServer.jwks_uri!)),
      { issuer: `${auth.url}/oauth`, audience: `${auth.url}/v3`, algorithms: ['ES256'], typ: 'at+jwt' },
    );
    expect(payload).toMatchObject({ client_id: client.client_id, scope: 'code:read usage:read' });
    expect(payload.sub).toMatch(/^user_/);

    // The device code is single-use.
    const again = await poll(authorization.device_code);
    expect(again.status).toBe(400);
    expect(await again.response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers access_denied to the device when the user denies', async () => {
    const authorization = await oauth.processDeviceAuthorizationResponse(
      auth.authorizationServer,
      client,
      await oauth.deviceAuthorizationRequest(
        auth.authorizationServer,
        client,
        none,
        new URLSearchParams({ scope: 'code:read' }),
        auth.http,
      ),
    );
    const page = await browse({
      start: authorization.verification_uri_complete!,
      baseUrl: auth.url,
      login,
      consent: 'deny',
      onOtherForm: (page) =>
        page.includes('was denied') ? undefined : deviceForm(page, authorization.user_code),
    });
    expect(page.page).toContain('Sign-in was denied');
    const denied = await poll(authorization.device_code);
    expect(await denied.response.json()).toMatchObject({ error: 'access_denied' });
  });

  it('shows an error on the device page for a wrong user code', async () => {
    const result = await browse({
      start: `${auth.url}/oauth/device`,
      baseUrl: auth.url,
      onOtherForm: (page) => (page.includes('not valid') ? undefined : deviceForm(page, 'BCDF-GHJK')),
    });
    expect(result.page).toContain('That code is not valid or has expired');
  });
});
