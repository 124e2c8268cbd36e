import middie from '@fastify/middie';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlumbConfig } from '../../config/plumb-config.ts';
import type { Storage } from '../../storage/index.ts';
import { createClientStore, type ClientStore } from './client-store.ts';
import { createOAuthProvider } from './create-oauth-provider.ts';
import { registerAdminClientsRoutes } from './register-admin-clients-routes.ts';
import { registerInteractionRoutes } from './register-interaction-routes.ts';
import { resolveOAuthUrls } from './resolve-oauth-urls.ts';
import { createSigningKeyStore } from './signing-key-store.ts';
import { createUserStore } from './user-store.ts';

/** Root-level discovery documents (RFC 8414 and OpenID Connect Discovery) that alias the issuer's own. */
const discoveryPaths = [
  '/.well-known/oauth-authorization-server',
  '/.well-known/oauth-authorization-server/oauth',
  '/.well-known/openid-configuration',
];

/**
 * Mounts the OAuth 2.0 authorization server: oidc-provider under `/oauth` (through @fastify/middie, which
 * runs before Fastify parses bodies, so the provider reads its own form bodies), the discovery aliases at
 * the root, the login and consent pages, and `/v3/admin/clients`. Must be called on the root instance.
 *
 * @example
 * await registerOAuthRoutes(app, { config, storage });
 */
export async function registerOAuthRoutes(
  app: FastifyInstance,
  options: { config: PlumbConfig; storage: Storage },
): Promise<void> {
  const { config, storage } = options;
  const urls = resolveOAuthUrls(config);
  const clients = createClientStore(storage);
  const users = createUserStore(storage);
  const signingKeys = createSigningKeyStore(storage);
  await ensureCliClient(clients);
  const provider = await createOAuthProvider({ config, storage, urls, clients, users, signingKeys });
  provider.on('server_error', (_context, error) => app.log.error({ err: error }, 'OAuth server error'));
  const handle = provider.callback() as (request: IncomingMessage, response: ServerResponse) => void;

  await app.register(middie);
  app.use('/oauth', (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => {
    // The login and consent pages are Fastify routes; everything else under /oauth is oidc-provider's.
    if (request.url?.startsWith('/interaction/')) {
      next();
      return;
    }
    handle(request, response);
  });

  for (const path of discoveryPaths) {
    app.get(path, (request, reply) => {
      reply.hijack();
      // As if mounted at /oauth: oidc-provider derives its endpoint URLs from originalUrl minus url.
      Object.assign(request.raw, { originalUrl: '/oauth/.well-known/openid-configuration' });
      request.raw.url = '/.well-known/openid-configuration';
      handle(request.raw, reply.raw);
    });
  }

  await registerInteractionRoutes(app, { provider, users });
  await registerAdminClientsRoutes(app, { clients });
}

/** The public client `plumb login` uses by default (device flow). Revoking it disables `plumb login`. */
export const cliClientId = 'plumb-cli';

async function ensureCliClient(clients: ClientStore): Promise<void> {
  if ((await clients.get(cliClientId)) !== undefined) return;
  try {
    await clients.create({
      clientId: cliClientId,
      name: 'plumb CLI',
      grants: ['device_code'],
      scopes: ['code:read', 'code:write', 'code:debug', 'usage:read'],
    });
  } catch (error) {
    // Another process sharing the database created it first.
    if ((await clients.get(cliClientId)) === undefined) throw error;
  }
}
