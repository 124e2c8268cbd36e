import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from '../openapi/build-openapi-document.ts';

/**
 * `GET /v3/openapi.json` (generated from the zod schemas) and a browsable docs page at `/docs`
 * (Swagger UI, served from the package: no CDN).
 *
 * @example
 * await registerOpenApiRoutes(app, { version: '0.1.0' });
 */
export async function registerOpenApiRoutes(app: FastifyInstance, options: { version: string }) {
  const document = buildOpenApiDocument(options);
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/v3/openapi.json', async () => document);
}
