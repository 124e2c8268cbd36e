import { allScopes } from '@plumb/protocol';
import Provider, { errors, type Configuration } from 'oidc-provider';
import type { PlumbConfig } from '../../config/plumb-config.ts';
import type { Storage } from '../../storage/index.ts';
import { clientSecretMatches, type ClientStore } from './client-store.ts';
import { createOAuthAdapter } from './create-oauth-adapter.ts';
import { deviceFlowPages } from './device-flow-pages.ts';
import { getCookieKeys } from './get-cookie-keys.ts';
import { escapeHtml, renderOAuthPage } from './render-oauth-page.ts';
import type { OAuthUrls } from './resolve-oauth-urls.ts';
import type { SigningKeyStore } from './signing-key-store.ts';
import type { UserStore } from './user-store.ts';

export interface CreateOAuthProviderOptions {
  config: PlumbConfig;
  storage: Storage;
  urls: OAuthUrls;
  clients: ClientStore;
  users: UserStore;
  signingKeys: SigningKeyStore;
}

/**
 * The oidc-provider instance behind `/oauth`: client credentials, authorization code with PKCE (S256 only),
 * device authorization (RFC 8628) and rotating refresh tokens with reuse detection; JWT access tokens
 * (`typ: at+jwt`, ES256) for the Plumb API resource; revocation and introspection. State lives in Plumb's
 * storage; the signing keys are read once here, so a rotated key is used after a restart.
 *
 * @example
 * const provider = await createOAuthProvider({ config, storage, urls, clients, users, signingKeys });
 * app.use('/oauth', provider.callback());
 */
export async function createOAuthProvider(options: CreateOAuthProviderOptions): Promise<Provider> {
  const { config, storage, urls, clients, users } = options;
  const ttl = config.auth;

  const configuration: Configuration = {
    adapter: createOAuthAdapter(storage, { clients }),
    jwks: await options.signingKeys.getSigningJwks(),
    cookies: {
      keys: await getCookieKeys(storage),
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    async findAccount(_context, subject) {
      const user = await users.findById(subject);
      if (user === undefined) return undefined;
      return {
        accountId: user.id,
        claims: async () => ({ sub: user.id, preferred_username: user.username }),
      };
    },
    claims: { openid: ['sub'], profile: ['preferred_username'] },
    // The API scopes are listed here too, so a client's registered `scope` may name them and requests for
    // scopes a client was not registered with fail with invalid_scope.
    scopes: ['openid', 'offline_access', ...allScopes],
    responseTypes: ['code'],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    // Secrets are stored hashed, so nothing may use them as HMAC keys: asymmetric algorithms only.
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'], userinfoSigningAlgValues: ['ES256'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true, ...deviceFlowPages },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Clients that send no `resource` get tokens for the Plumb API.
        defaultResource: () => urls.apiAudience,
        useGrantedResource: () => true,
        getResourceServerInfo(_context, resource, client) {
          if (resource !== urls.apiAudience) {
            throw new errors.InvalidTarget(
              `unknown resource; this server issues tokens for ${urls.apiAudience}`,
            );
          }
          // A client gets at most the scopes it was registered with.
          const allowed = new Set((client.scope ?? '').split(' '));
          return {
            scope: allScopes.filter((scope) => allowed.has(scope)).join(' '),
            audience: urls.apiAudience,
            accessTokenTTL: ttl.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    async renderError(context, out) {
      context.type = 'html';
      context.body = renderOAuthPage({
        title: 'Sign-in error',
        body: `<p><strong>${escapeHtml(out.error)}</strong>: ${escapeHtml(out.error_description ?? '')}</p>
<p>Go back to the application and start again; if it keeps happening, its OAuth client registration may be wrong.</p>`,
      });
    },
    interactions: { url: (_context, interaction) => `/oauth/interaction/${interaction.uid}` },
    rotateRefreshToken: true,
    issueRefreshToken: async (_context, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: ttl.accessTokenTtlSeconds,
      ClientCredentials: ttl.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      DeviceCode: ttl.deviceCodeTtlSeconds,
      RefreshToken: ttl.refreshTokenTtlSeconds,
      Grant: ttl.refreshTokenTtlSeconds,
      IdToken: 3600,
      Interaction: 3600,
      Session: 14 * 24 * 60 * 60,
    },
  };

  const provider = new Provider(urls.issuer, configuration);
  // Client secrets are stored as hashes (`client-store.ts`); oidc-provider's documented extension point for
  // that is overriding this prototype method.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(presented: string) {
    return clientSecretMatches(this.clientSecret, presented);
  };
  return provider;
}
