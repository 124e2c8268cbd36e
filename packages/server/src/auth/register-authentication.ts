import { PlumbError, type Scope } from '@plumb/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlumbConfig } from '../config/plumb-config.ts';
import type { Principal } from '../http/principal.ts';
import type { Storage } from '../storage/index.ts';
import { createApiKeyStore, apiKeyPrefix, type ApiKeyStore } from './api-key-store.ts';
import { invalidTokenError } from './invalid-token-error.ts';
import { resolveOAuthUrls } from './oauth/resolve-oauth-urls.ts';
import { createSigningKeyStore } from './oauth/signing-key-store.ts';
import { findRouteScopeRule, routeAccess, type RouteAccess } from './route-scopes.ts';
import { createAccessTokenVerifier, type AccessTokenVerifier } from './verify-access-token.ts';

/** Sent with every response to an API-key request (RFC 7234 `Warning`, code 299: a persistent warning). */
export const apiKeyWarning =
  '299 - "API keys are discouraged for production; use OAuth 2.0 client credentials (see /docs)"';
export const apiKeyDocsLink = '</docs>; rel="help"';

/**
 * API authentication (the resource server side). An `onRequest` hook reads `Authorization: Bearer <token>`:
 * `plb_…` is an API key, anything else a JWT access token from Plumb's authorization server. The route's rule
 * in `route-scopes.ts` decides: public routes skip auth, others need a principal and their scope (the chat
 * routes check theirs with `requireScope` once the body says the mode). Unknown paths are not authenticated,
 * so they get the plain 404. With `auth.mode: "off"` nothing is checked and `request.principal` stays `null`.
 *
 * @example
 * await registerAuthentication(app, { config, storage });
 */
export async function registerAuthentication(
  app: FastifyInstance,
  options: {
    config: PlumbConfig;
    storage: Storage;
    apiKeys?: ApiKeyStore;
    verifyAccessToken?: AccessTokenVerifier;
  },
): Promise<void> {
  const { config, storage } = options;
  app.decorateRequest('insecureNoAuth', config.auth.mode === 'off');
  if (config.auth.mode === 'off') {
    app.log.warn(
      'Authentication is OFF (--insecure-no-auth): anyone who can reach this port may use every route. For local experiments only.',
    );
    return;
  }
  const apiKeys = config.auth.apiKeys === 'on' ? (options.apiKeys ?? createApiKeyStore(storage)) : undefined;
  const urls = resolveOAuthUrls(config);
  const signingKeys = createSigningKeyStore(storage);
  const verifyAccessToken =
    options.verifyAccessToken ??
    createAccessTokenVerifier({
      issuer: urls.issuer,
      audience: urls.apiAudience,
      getPublicJwks: () => signingKeys.getPublicJwks(),
    });
  const accessByRoute = new Map<string, RouteAccess>();
  app.addHook('onRoute', (route) => {
    if (findRouteScopeRule(route.url) === undefined) {
      app.log.warn(
        { route: route.url },
        'Route has no rule in auth/route-scopes.ts, so it requires the admin scope; add a rule for it.',
      );
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    // Fastify's pattern of the matched route; undefined for unknown paths and for what middie serves (/oauth).
    const route = request.routeOptions.url;
    if (route === undefined) return;
    let access = accessByRoute.get(route);
    if (access === undefined) accessByRoute.set(route, (access = routeAccess(route)));
    if (access.kind === 'public') return;
    request.principal = await authenticate(request, reply, { apiKeys, verifyAccessToken });
    if (access.kind === 'scope') requireScope(request, access.scope);
  });
}

async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { apiKeys: ApiKeyStore | undefined; verifyAccessToken: AccessTokenVerifier },
): Promise<Principal> {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw unauthorized(
      'No credentials. Send Authorization: Bearer <token> with an OAuth 2.0 access token (see /.well-known/oauth-authorization-server) or an API key from plumb keys create.',
    );
  }
  const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (token === undefined) {
    throw unauthorized(
      'The Authorization header must use the Bearer scheme: Authorization: Bearer <access token or API key>.',
    );
  }
  if (!token.startsWith(apiKeyPrefix)) return options.verifyAccessToken(token);
  if (options.apiKeys === undefined) {
    throw invalidTokenError(
      'API keys are disabled on this server (auth.apiKeys is off); use an OAuth 2.0 access token, for example from the client credentials grant',
      { code: 'invalid_api_key' },
    );
  }
  const principal = await options.apiKeys.authenticate(token);
  reply.header('warning', apiKeyWarning);
  reply.header('link', apiKeyDocsLink);
  return principal;
}

function unauthorized(message: string): PlumbError {
  return new PlumbError('unauthorized', message, { headers: { 'www-authenticate': 'Bearer realm="plumb"' } });
}

/**
 * Throws 403 `insufficient_scope` (with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`)
 * unless the caller holds `scope`. Does nothing when auth is off. Routes whose scope depends on the body call
 * it after parsing; everything else is checked from the route table.
 *
 * @example
 * requireScope(request, chatScope(chatRequest.mode));
 */
export function requireScope(request: FastifyRequest, scope: Scope): void {
  if (request.insecureNoAuth) return;
  const principal = request.principal;
  if (principal === null) {
    throw unauthorized('No credentials. Send Authorization: Bearer <access token or API key>.');
  }
  if (principal.scopes.includes(scope)) return;
  const held = principal.scopes.length > 0 ? principal.scopes.join(', ') : 'no scopes';
  const how =
    principal.kind === 'api_key'
      ? `create a key with --scopes ${scope}`
      : `request a token with scope=${scope} from a client registered for it`;
  throw new PlumbError(
    'insufficient_scope',
    `This request needs the "${scope}" scope, but the ${principal.kind === 'api_key' ? 'API key' : 'access token'} has ${held}. To fix it, ${how}.`,
    { headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` } },
  );
}
