import path from 'node:path';
import { createDependencyClients, resolveNpmRegistryUrl } from '@plumb/engines';
import { createDependencyGuard, createSecurityGuard, type Guard, type ProviderRegistry } from '@plumb/models';
import { PlumbError } from '@plumb/protocol';
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { PlumbConfig } from './config/plumb-config.ts';
import './http/principal.ts';
import { generateRequestId } from './http/request-id.ts';
import { toHttpError } from './http/to-http-error.ts';
import { registerOAuthRoutes } from './auth/oauth/register-oauth-routes.ts';
import { createApiKeyStore } from './auth/api-key-store.ts';
import { registerApiKeysRoutes } from './auth/register-api-keys-routes.ts';
import { registerAuthentication } from './auth/register-authentication.ts';
import { registerIdempotency } from './idempotency/register-idempotency.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerLegacyRoutes } from './routes/legacy-routes.ts';
import { registerOpenApiRoutes } from './routes/openapi-routes.ts';
import { registerChatCompletionsRoute } from './routes/v3/chat-completions-route.ts';
import { registerCodeGraphRoutes } from './routes/v3/code-graph-routes.ts';
import { registerDebugSessionsRoute } from './routes/v3/debug-sessions-route.ts';
import { registerModelsRoute } from './routes/v3/models-route.ts';
import { registerDependenciesRoute } from './routes/v3/dependencies-route.ts';
import { registerReviewsRoute } from './routes/v3/reviews-route.ts';
import { registerSessionsRoute } from './routes/v3/sessions-route.ts';
import { registerTestVectorsRoute } from './routes/v3/test-vectors-route.ts';
import { registerUsageRoutes } from './routes/v3/usage-route.ts';
import { createMetering } from './metering/create-metering.ts';
import { createChatService } from './services/create-chat-service.ts';
import { createSessionService } from './services/create-session-service.ts';
import { createCodeGraphService } from './services/code-graph/create-code-graph-service.ts';
import { createDebugSessionService } from './services/debug-sessions/create-debug-session-service.ts';
import { createCodeGraphRepository, createDebugSessionRepository, type Storage } from './storage/index.ts';
import { plumbVersion } from './plumb-version.ts';

export interface AppDependencies {
  config: PlumbConfig;
  storage: Storage;
  registry: ProviderRegistry;
  logger: Logger;
  /** Guards for answers in `mode: "code"`, in order. */
  guards?: Guard[];
}

/**
 * Builds the Fastify application with every route, without listening. Tests use `app.inject` or
 * `app.listen`; `startServer` wires real storage and providers around it.
 *
 * @example
 * const app = await createApp({ config, storage, registry, logger });
 * await app.listen({ port: 0 });
 */
export async function createApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, storage, registry } = dependencies;
  // Typed as the default FastifyInstance (base logger) so route modules need no pino-specific generics.
  const logger: FastifyBaseLogger = dependencies.logger;
  const app: FastifyInstance = fastify({
    loggerInstance: logger,
    genReqId: generateRequestId,
    bodyLimit: config.limits.bodyLimitBytes,
    requestTimeout: config.limits.requestTimeoutMs,
    keepAliveTimeout: 72_000,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // One line per request only at debug level: at info, routes log what matters (errors, warnings).
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
  });

  // The API speaks JSON only; a text/plain body gets 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const apiKeys = createApiKeyStore(storage);
  // Right after the request id, so every later hook and route sees `request.principal`.
  await registerAuthentication(app, { config, storage, apiKeys });
  // After authentication (keys are per billing subject) and before the routes it wraps.
  await registerIdempotency(app, { storage, ttlSeconds: config.idempotency.ttlSeconds });

  app.setErrorHandler((error, request, reply) => {
    const plumbError = toHttpError(error, { bodyLimitBytes: config.limits.bodyLimitBytes });
    if (plumbError.status >= 500) request.log.error({ err: error }, plumbError.message);
    else request.log.info({ code: plumbError.code }, plumbError.message);
    return reply.status(plumbError.status).headers(plumbError.headers).send(plumbError.toResponseBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new PlumbError(
      'not_found',
      `No route ${request.method} ${request.url.split('?')[0] ?? ''}. The API is described at GET /v3/openapi.json; chat completions are POST /v3/chat/completions.`,
    );
    return reply.status(error.status).send(error.toResponseBody());
  });

  const sessions = createSessionService(storage);
  const metering = createMetering({
    storage,
    prices: config.metering.prices,
    onFlushError: (error) =>
      app.log.error({ err: error }, 'writing usage events failed; they are kept and retried'),
  });
  // Buffered usage events reach the database before storage closes.
  app.addHook('onClose', async () => metering.close());
  const debugSessions = createDebugSessionService({
    repository: createDebugSessionRepository(storage.db),
    limits: {
      idleTimeoutMilliseconds: config.debug.idleTimeoutSeconds * 1000,
      maximumLifetimeMilliseconds: config.debug.maximumLifetimeSeconds * 1000,
      maximumPerOwner: config.debug.maximumSessionsPerPrincipal,
      maximumTotal: config.debug.maximumSessions,
      memoryLimitBytes: config.debug.memoryLimitMegabytes * 1024 ** 2,
    },
    ...(config.engines.pythonPath ? { pythonPath: config.engines.pythonPath } : {}),
  });
  // Debuggees die with the server; their sessions stay live in storage and are replayed on next use.
  app.addHook('onClose', async () => debugSessions.close());
  const dependencyClients = createDependencyClients({
    npmRegistryUrl: config.dependencies.npmRegistryUrl ?? resolveNpmRegistryUrl({}),
    pypiUrl: config.dependencies.pypiUrl,
    osvUrl: config.dependencies.osvUrl,
    advisories: config.dependencies.advisories,
    cacheDirectory: path.join(config.dataDirectory, 'registry-cache'),
    timeoutMs: config.dependencies.timeoutMs,
    retries: 2,
  });
  const defaultGuards: Guard[] = [
    ...(config.guards.security === 'off'
      ? []
      : [
          createSecurityGuard({
            defaultPolicy: config.guards.security,
            repairRounds: config.guards.repairRounds,
          }),
        ]),
    ...(config.guards.dependencies === 'off'
      ? []
      : [
          createDependencyGuard({
            ...dependencyClients,
            minimumReleaseAgeDays: config.dependencies.minimumReleaseAgeDays,
          }),
        ]),
  ];
  const codeGraph = createCodeGraphService({
    store: createCodeGraphRepository(storage.db),
    dataDirectory: config.dataDirectory,
  });
  const chat = createChatService({
    registry,
    sessions,
    metering,
    guards: dependencies.guards ?? defaultGuards,
    refuseMalicious: config.guards.refuseMalicious,
    debugSessions,
    codeGraph,
    upstreamTimeoutMs: config.limits.upstreamTimeoutMs,
  });

  await registerHealthRoutes(app, { storage, registry });
  await registerOpenApiRoutes(app, { version: plumbVersion });
  await registerModelsRoute(app, { registry, startedAt: Date.now() });
  await registerChatCompletionsRoute(app, { chat });
  await registerCodeGraphRoutes(app, { metering, codeGraph, registry });
  await registerSessionsRoute(app, { sessions });
  await registerUsageRoutes(app, { metering, prices: config.metering.prices });
  await registerTestVectorsRoute(app, {
    metering,
    maximumConcurrentRuns: config.engines.maximumConcurrentVectorRuns,
    ...(config.engines.pythonPath ? { pythonPath: config.engines.pythonPath } : {}),
  });
  await registerDebugSessionsRoute(app, { debugSessions, metering });
  await registerReviewsRoute(app, { metering });
  await registerDependenciesRoute(app, {
    metering,
    ...dependencyClients,
    minimumReleaseAgeDays: config.dependencies.minimumReleaseAgeDays,
  });
  await registerLegacyRoutes(app, { chat });
  await registerOAuthRoutes(app, { config, storage });
  await registerApiKeysRoutes(app, { apiKeys });
  return app;
}
