import type { ProviderRegistry } from '@plumb/models';
import type { ModelList } from '@plumb/protocol';
import type { FastifyInstance } from 'fastify';

/**
 * Registers `GET /v3/models`: the configured models as `provider/model-id`, in OpenAI's list shape.
 *
 * @example
 * await registerModelsRoute(app, { registry, startedAt: Date.now() });
 */
export async function registerModelsRoute(
  app: FastifyInstance,
  options: { registry: ProviderRegistry; startedAt: number },
) {
  app.get('/v3/models', async (): Promise<ModelList> => ({
    object: 'list',
    data: options.registry.listModels().map((entry) => ({
      id: entry.id,
      object: 'model',
      created: Math.floor(options.startedAt / 1000),
      owned_by: entry.provider,
    })),
  }));
}
