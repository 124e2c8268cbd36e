import { createProviderRegistry, type Guard } from '@plumb/models';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createApp } from './create-app.ts';
import type { PlumbConfig } from './config/plumb-config.ts';
import { createLogger } from './http/create-logger.ts';
import { findFreePort } from './http/find-free-port.ts';
import { createUpstreamFetch } from './http/create-upstream-fetch.ts';
import { openStorage, type Storage } from './storage/index.ts';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  app: FastifyInstance;
  storage: Storage;
  logger: Logger;
  /** Stops accepting connections, lets in-flight requests and streams finish (up to the grace period), closes storage. */
  close(): Promise<void>;
}

/**
 * Opens storage (running migrations), builds the provider registry and the app, and listens.
 *
 * @example
 * const server = await startServer(loadConfig({ environment: process.env }));
 * console.log(server.url);
 */
export async function startServer(
  config: PlumbConfig,
  options: { guards?: Guard[]; logger?: Logger } = {},
): Promise<RunningServer> {
  // The OAuth issuer URL contains the port, so port 0 becomes a real free port before the app is built.
  if (config.port === 0) config = { ...config, port: await findFreePort(config.host) };
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDirectory: config.dataDirectory });
  const registry = createProviderRegistry(config.providers, { fetch: createUpstreamFetch() });
  const app = await createApp({
    config,
    storage,
    registry,
    logger,
    ...(options.guards ? { guards: options.guards } : {}),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await storage.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    app,
    storage,
    logger,
    close() {
      closing ??= (async () => {
        const grace = setTimeout(() => app.server.closeAllConnections(), config.limits.shutdownGraceMs);
        grace.unref();
        await app.close();
        clearTimeout(grace);
        await storage.close();
      })();
      return closing;
    },
  };
}
