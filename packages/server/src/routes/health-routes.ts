import type { ProviderRegistry } from '@plumb/models';
import type { FastifyInstance } from 'fastify';
import { checkProviderReachable } from '../services/check-provider-reachable.ts';
import type { Storage } from '../storage/index.ts';

/**
 * `GET /healthz` (the process answers) and `GET /readyz` (storage answers and at least one model provider is
 * reachable; 503 with the reasons otherwise). Provider checks are cached for a few seconds so probes stay cheap.
 *
 * @example
 * await registerHealthRoutes(app, { storage, registry });
 */
export async function registerHealthRoutes(
  app: FastifyInstance,
  options: { storage: Storage; registry: ProviderRegistry; cacheMs?: number },
) {
  const cacheMs = options.cacheMs ?? 5000;
  let cached: { at: number; providers: Record<string, { reachable: boolean; detail: string }> } | undefined;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    let storage: { ok: boolean; detail: string };
    try {
      await options.storage.ping();
      storage = { ok: true, detail: options.storage.dialect };
    } catch (error) {
      storage = { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
    if (!cached || Date.now() - cached.at > cacheMs) {
      const results = await Promise.all(
        options.registry.providers.map(
          async (provider) =>
            [provider.name, await checkProviderReachable(provider, { timeoutMs: 2000 })] as const,
        ),
      );
      cached = { at: Date.now(), providers: Object.fromEntries(results) };
    }
    const anyModel = Object.values(cached.providers).some((provider) => provider.reachable);
    const ready = storage.ok && anyModel;
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      storage,
      providers: cached.providers,
      ...(Object.keys(cached.providers).length === 0
        ? { hint: 'No model provider is configured. See README.md, "Point it at a model".' }
        : {}),
    });
  });
}
