import { createSessionRequestSchema } from '@plumb/protocol';
import type { FastifyInstance } from 'fastify';
import { sessionOwner } from '../../auth/session-owner.ts';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import type { SessionService } from '../../services/create-session-service.ts';

/**
 * Registers the session resource: `POST /v3/sessions`, `GET /v3/sessions/:id`, `DELETE /v3/sessions/:id`.
 *
 * @example
 * await registerSessionsRoute(app, { sessions });
 */
export async function registerSessionsRoute(app: FastifyInstance, options: { sessions: SessionService }) {
  app.post('/v3/sessions', async (request, reply) => {
    const body = parseRequestBody(createSessionRequestSchema, request.body ?? {});
    return reply.status(201).send(await options.sessions.create(body, sessionOwner(request.principal)));
  });
  app.get<{ Params: { id: string } }>('/v3/sessions/:id', async (request) =>
    options.sessions.get(request.params.id, sessionOwner(request.principal)),
  );
  app.delete<{ Params: { id: string } }>('/v3/sessions/:id', async (request) =>
    options.sessions.delete(request.params.id, sessionOwner(request.principal)),
  );
}
