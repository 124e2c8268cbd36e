import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { PlumbError } from '@plumb/protocol';
import { withCoalescedContentDeltas } from './coalesce-content-deltas.ts';

export type ProviderType = 'openai-compatible' | 'openai' | 'anthropic';

export interface ProviderConfig {
  /** The first part of model names: `<name>/<model-id>`. */
  name: string;
  type: ProviderType;
  /** Required for `openai-compatible`; optional for `openai` and `anthropic` (their public APIs). */
  baseUrl?: string;
  apiKey?: string;
  /** The model ids this provider offers. Without a list, any model id is passed to the provider. */
  models?: string[];
  /** Extra HTTP headers sent with every request to this provider. */
  headers?: Record<string, string>;
}

export interface ModelEntry {
  /** `provider/model-id`, as clients name it. */
  id: string;
  provider: string;
  modelId: string;
}

export interface ProviderRegistry {
  readonly providers: readonly ProviderConfig[];
  /** The models of providers with an explicit `models` list. */
  listModels(): ModelEntry[];
  /** Finds the model for a `provider/model-id` name; throws `model_not_configured` or `model_not_found`. */
  resolveModel(name: string): { model: LanguageModelV3; entry: ModelEntry };
}

/** The environment variables that configure model providers, named in error messages. */
export const modelEnvironmentVariables: string[] = [
  'PLUMB_OPENAI_COMPATIBLE_BASE_URL',
  'PLUMB_OPENAI_COMPATIBLE_MODELS',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
];

const listedModelLimit = 20;

/**
 * Builds the model registry from the configured providers. Model names are `provider/model-id`, split at
 * the first slash, so model ids may contain slashes themselves (`local/qwen/qwen2.5-coder`). Model objects
 * are created on first use and cached. Nothing here reads the environment: API keys come from the config.
 *
 * @example
 * const registry = createProviderRegistry([
 *   { name: 'local', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', models: ['qwen2.5-coder'] },
 * ]);
 * const { model, entry } = registry.resolveModel('local/qwen2.5-coder');
 */
export function createProviderRegistry(
  providers: ProviderConfig[],
  options: { fetch?: typeof fetch } = {},
): ProviderRegistry {
  const configs = providers.map((provider) => ({ ...provider }));
  configs.forEach(assertUsable);
  const byName = new Map<string, ProviderConfig>();
  configs.forEach((provider, index) => {
    if (byName.has(provider.name)) {
      throw new PlumbError(
        'invalid_request',
        `Two providers are named "${provider.name}". Give each provider its own name.`,
        {
          param: `providers.${index}.name`,
        },
      );
    }
    byName.set(provider.name, provider);
  });
  const modelCache = new Map<string, LanguageModelV3>();
  const providerCache = new Map<string, (modelId: string) => LanguageModelV3>();

  function listModels(): ModelEntry[] {
    return configs.flatMap((provider) =>
      (provider.models ?? []).map((modelId) => ({
        id: `${provider.name}/${modelId}`,
        provider: provider.name,
        modelId,
      })),
    );
  }

  function resolveModel(name: string): { model: LanguageModelV3; entry: ModelEntry } {
    if (configs.length === 0) {
      throw new PlumbError(
        'model_not_configured',
        `No model provider is configured, so Plumb cannot answer "${name}". Set ${modelEnvironmentVariables.join(', ')}, or start the server with \`plumb serve --model name/model-id=http://host:port/v1\` for any OpenAI-compatible server (Ollama, vLLM, llama.cpp).`,
        { param: 'model' },
      );
    }
    const slash = name.indexOf('/');
    if (slash <= 0 || slash === name.length - 1) {
      throw new PlumbError(
        'model_not_found',
        `The model "${name}" is not named as provider/model-id. Name it "<provider>/<model-id>", for example "${exampleName()}". ${describeAvailable()}`,
        { param: 'model' },
      );
    }
    const providerName = name.slice(0, slash);
    const modelId = name.slice(slash + 1);
    const provider = byName.get(providerName);
    if (!provider) {
      throw new PlumbError(
        'model_not_found',
        `There is no provider "${providerName}" for the model "${name}". ${describeAvailable()}`,
        { param: 'model' },
      );
    }
    if (provider.models && !provider.models.includes(modelId)) {
      throw new PlumbError(
        'model_not_found',
        `The provider "${providerName}" does not offer "${modelId}" (model "${name}"). ${describeAvailable()}`,
        { param: 'model' },
      );
    }
    const entry: ModelEntry = { id: name, provider: providerName, modelId };
    let model = modelCache.get(name);
    if (!model) {
      model = modelFactory(provider)(modelId);
      modelCache.set(name, model);
    }
    return { model, entry };
  }

  function modelFactory(provider: ProviderConfig): (modelId: string) => LanguageModelV3 {
    let factory = providerCache.get(provider.name);
    if (!factory) {
      factory = createModelFactory(provider, options.fetch);
      providerCache.set(provider.name, factory);
    }
    return factory;
  }

  function exampleName(): string {
    const first = listModels()[0];
    return first?.id ?? `${configs[0]?.name ?? 'local'}/model-id`;
  }

  function describeAvailable(): string {
    const ids = listModels().map((entry) => entry.id);
    const open = configs
      .filter((provider) => !provider.models)
      .map((provider) => `${provider.name}/<model-id>`);
    const parts: string[] = [];
    if (ids.length > 0) {
      const more = ids.length > listedModelLimit ? ` and ${ids.length - listedModelLimit} more` : '';
      parts.push(`Available models: ${ids.slice(0, listedModelLimit).join(', ')}${more}.`);
    }
    if (open.length > 0) parts.push(`These providers accept any model id: ${open.join(', ')}.`);
    parts.push('GET /v3/models lists the configured models.');
    return parts.join(' ');
  }

  return { providers: configs, listModels, resolveModel };
}

function assertUsable(provider: ProviderConfig, index: number): void {
  if (provider.type === 'openai-compatible' && !provider.baseUrl) {
    throw new PlumbError(
      'invalid_request',
      `The openai-compatible provider "${provider.name}" has no baseUrl. Give the server's URL including /v1, for example http://127.0.0.1:11434/v1.`,
      { param: `providers.${index}.baseUrl` },
    );
  }
  if ((provider.type === 'openai' || provider.type === 'anthropic') && !provider.apiKey) {
    const variable = provider.type === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
    throw new PlumbError(
      'invalid_request',
      `The ${provider.type} provider "${provider.name}" has no apiKey. Set ${variable} or give apiKey in the config file.`,
      { param: `providers.${index}.apiKey` },
    );
  }
}

function createModelFactory(
  provider: ProviderConfig,
  fetchFunction: typeof fetch | undefined,
): (modelId: string) => LanguageModelV3 {
  const common = {
    ...(provider.apiKey === undefined ? {} : { apiKey: provider.apiKey }),
    ...(provider.headers === undefined ? {} : { headers: provider.headers }),
    ...(fetchFunction === undefined ? {} : { fetch: fetchFunction }),
  };
  // OpenAI's wire format: content deltas that arrive together are parsed by the SDK as one event.
  const openAiWire = { ...common, fetch: withCoalescedContentDeltas(fetchFunction ?? globalThis.fetch) };
  switch (provider.type) {
    case 'openai-compatible': {
      const compatible = createOpenAICompatible({
        name: provider.name,
        baseURL: provider.baseUrl ?? '',
        includeUsage: true,
        ...openAiWire,
      });
      return (modelId) => compatible.chatModel(modelId);
    }
    case 'openai': {
      const openai = createOpenAI({ name: provider.name, ...withBaseUrl(provider), ...openAiWire });
      // Chat Completions, not the Responses API: the same wire protocol Plumb speaks to its clients.
      return (modelId) => openai.chat(modelId);
    }
    case 'anthropic': {
      const anthropic = createAnthropic({ name: provider.name, ...withBaseUrl(provider), ...common });
      return (modelId) => anthropic.languageModel(modelId);
    }
  }
}

function withBaseUrl(provider: ProviderConfig): { baseURL?: string } {
  return provider.baseUrl === undefined ? {} : { baseURL: provider.baseUrl };
}
