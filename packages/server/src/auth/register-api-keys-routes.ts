import { PlumbError, scopeSchema } from '@plumb/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseRequestBody } from '../http/parse-request-body.ts';
import type { ApiKeyStore } from './api-key-store.ts';
import { toApiKeyJson } from './api-key-json.ts';

const createApiKeyBodySchema = z.object({
  name: z.string().min(1).max(200),
  scopes: z.array(scopeSchema).min(1),
  /** Lifetime from now; omit for a key that does not expire. */
  expires_in_seconds: z.number().int().positive().optional(),
});

/**
 * API key management for administrators (scope `admin`, from the route table): `POST /v3/admin/api-keys`
 * (answers the key once), `GET /v3/admin/api-keys`, `GET` and `DELETE /v3/admin/api-keys/:id` (delete
 * revokes at once and answers the revoked key).
 *
 * @example
 * await registerApiKeysRoutes(app, { apiKeys: createApiKeyStore(storage) });
 */
export async function registerApiKeysRoutes(app: FastifyInstance, options: { apiKeys: ApiKeyStore }) {
  const { apiKeys } = options;
  app.post('/v3/admin/api-keys', async (request, reply) => {
    const body = parseRequestBody(createApiKeyBodySchema, request.body);
    const { apiKey, key } = await apiKeys.create({
      name: body.name,
      scopes: body.scopes,
      expiresAt: body.expires_in_seconds === undefined ? null : Date.now() + body.expires_in_seconds * 1000,
    });
    return reply.status(201).send(toApiKeyJson(apiKey, { key }));
  });

  app.get('/v3/admin/api-keys', async () => ({
    object: 'list',
    data: (await apiKeys.list()).map((apiKey) => toApiKeyJson(apiKey)),
  }));

  app.get<{ Params: { id: string } }>('/v3/admin/api-keys/:id', async (request) =>
    toApiKeyJson(orNotFound(await apiKeys.get(request.params.id), request.params.id)),
  );

  app.delete<{ Params: { id: string } }>('/v3/admin/api-keys/:id', async (request) =>
    toApiKeyJson(orNotFound(await apiKeys.revoke(request.params.id), request.params.id)),
  );
}

function orNotFound<T>(value: T | undefined, id: string): T {
  if (value === undefined) {
    throw new PlumbError(
      'not_found',
      `No API key "${id}". GET /v3/admin/api-keys (or plumb keys list) lists the keys and their ids.`,
      { param: 'id' },
    );
  }
  return value;
}
