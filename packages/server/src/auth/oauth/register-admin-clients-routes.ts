import { PlumbError, scopeSchema } from '@plumb/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import { clientGrants } from './client-grants.ts';
import type { ClientStore } from './client-store.ts';
import { toClientJson } from './client-json.ts';

const createClientBodySchema = z.object({
  name: z.string().min(1).max(200),
  grants: z.array(z.enum(clientGrants)).min(1),
  scopes: z.array(scopeSchema).min(1),
  redirect_uris: z.array(z.string()).optional(),
  confidential: z.boolean().optional(),
});

/**
 * OAuth client management for administrators (scope `admin`, enforced by API auth from the route table):
 * `GET /v3/admin/clients`, `POST /v3/admin/clients` (answers the secret once), `GET` and `DELETE
 * /v3/admin/clients/:clientId` (delete revokes the client with its grants and refresh tokens).
 *
 * @example
 * await registerAdminClientsRoutes(app, { clients });
 */
export async function registerAdminClientsRoutes(
  app: FastifyInstance,
  options: { clients: ClientStore },
): Promise<void> {
  const { clients } = options;
  app.get('/v3/admin/clients', async () => ({
    object: 'list',
    data: (await clients.list()).map((client) => toClientJson(client)),
  }));

  app.post('/v3/admin/clients', async (request, reply) => {
    const body = parseRequestBody(createClientBodySchema, request.body);
    const { client, clientSecret } = await clients.create({
      name: body.name,
      grants: body.grants,
      scopes: body.scopes,
      redirectUris: body.redirect_uris ?? [],
      confidential: body.confidential ?? false,
    });
    return reply.status(201).send(toClientJson(client, { clientSecret }));
  });

  app.get<{ Params: { clientId: string } }>('/v3/admin/clients/:clientId', async (request) =>
    toClientJson(await getOrThrow(clients, request.params.clientId)),
  );

  app.delete<{ Params: { clientId: string } }>('/v3/admin/clients/:clientId', async (request) => {
    await getOrThrow(clients, request.params.clientId);
    await clients.revoke(request.params.clientId);
    return toClientJson(await getOrThrow(clients, request.params.clientId));
  });
}

async function getOrThrow(clients: ClientStore, clientId: string) {
  const client = await clients.get(clientId);
  if (client === undefined) {
    throw new PlumbError(
      'not_found',
      `No OAuth client "${clientId}". GET /v3/admin/clients (or plumb clients list) lists the registered ones.`,
      { param: 'client_id' },
    );
  }
  return client;
}
