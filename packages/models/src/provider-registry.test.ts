import { PlumbError } from '@plumb/protocol';
import { describe, expect, it } from 'vitest';
import { createProviderRegistry, modelEnvironmentVariables } from './provider-registry.ts';

function catchError(run: () => unknown): PlumbError {
  try {
    run();
  } catch (error) {
    if (error instanceof PlumbError) return error;
    throw error;
  }
  throw new Error('expected a PlumbError');
}

describe('createProviderRegistry', () => {
  const registry = createProviderRegistry([
    {
      name: 'local',
      type: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1',
      models: ['qwen/qwen2.5-coder', 'llama3'],
    },
    { name: 'open', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' },
    { name: 'openai', type: 'openai', apiKey: 'sk-test', models: ['gpt-4o'] },
    { name: 'anthropic', type: 'anthropic', apiKey: 'sk-ant-test', models: ['claude-sonnet-4-5'] },
  ]);

  it('lists the models of providers with explicit lists', () => {
    expect(registry.listModels()).toEqual([
      { id: 'local/qwen/qwen2.5-coder', provider: 'local', modelId: 'qwen/qwen2.5-coder' },
      { id: 'local/llama3', provider: 'local', modelId: 'llama3' },
      { id: 'openai/gpt-4o', provider: 'openai', modelId: 'gpt-4o' },
      { id: 'anthropic/claude-sonnet-4-5', provider: 'anthropic', modelId: 'claude-sonnet-4-5' },
    ]);
  });

  it('splits names at the first slash, so model ids may contain slashes', () => {
    const { model, entry } = registry.resolveModel('local/qwen/qwen2.5-coder');
    expect(entry).toEqual({
      id: 'local/qwen/qwen2.5-coder',
      provider: 'local',
      modelId: 'qwen/qwen2.5-coder',
    });
    expect(model.specificationVersion).toBe('v3');
    expect(model.modelId).toBe('qwen/qwen2.5-coder');
  });

  it('creates each provider type and caches model instances', () => {
    expect(registry.resolveModel('openai/gpt-4o').model.provider).toBe('openai.chat');
    expect(registry.resolveModel('anthropic/claude-sonnet-4-5').model.provider).toBe('anthropic');
    expect(registry.resolveModel('local/llama3').model).toBe(registry.resolveModel('local/llama3').model);
  });

  it('passes any model id to a provider without a model list', () => {
    expect(registry.resolveModel('open/anything:7b').entry.modelId).toBe('anything:7b');
  });

  it('rejects an unknown provider, listing what is available', () => {
    const error = catchError(() => registry.resolveModel('ollama/qwen'));
    expect(error.code).toBe('model_not_found');
    expect(error.status).toBe(404);
    expect(error.param).toBe('model');
    expect(error.message).toContain('no provider "ollama"');
    expect(error.message).toContain('local/llama3');
    expect(error.message).toContain('open/<model-id>');
  });

  it('rejects a model missing from an explicit list', () => {
    const error = catchError(() => registry.resolveModel('openai/gpt-3'));
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('does not offer "gpt-3"');
  });

  it('lists at most twenty models in errors', () => {
    const many = createProviderRegistry([
      {
        name: 'p',
        type: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:9/v1',
        models: Array.from({ length: 25 }, (_, index) => `m${index}`),
      },
    ]);
    const error = catchError(() => many.resolveModel('p/none'));
    expect(error.message).toContain('p/m19');
    expect(error.message).not.toContain('p/m20');
    expect(error.message).toContain('and 5 more');
  });

  it('explains the provider/model-id form for a name without a slash', () => {
    const error = catchError(() => registry.resolveModel('gpt-4o'));
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('provider/model-id');
    expect(catchError(() => registry.resolveModel('local/')).code).toBe('model_not_found');
  });

  it('says how to configure a provider when there is none', () => {
    const error = catchError(() => createProviderRegistry([]).resolveModel('local/qwen'));
    expect(error.code).toBe('model_not_configured');
    expect(error.status).toBe(503);
    for (const variable of modelEnvironmentVariables) expect(error.message).toContain(variable);
    expect(error.message).toContain('--model name/model-id=http://host:port/v1');
    expect(modelEnvironmentVariables).toEqual([
      'PLUMB_OPENAI_COMPATIBLE_BASE_URL',
      'PLUMB_OPENAI_COMPATIBLE_MODELS',
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
    ]);
  });

  it('rejects configurations that cannot work', () => {
    expect(catchError(() => createProviderRegistry([{ name: 'x', type: 'openai-compatible' }])).param).toBe(
      'providers.0.baseUrl',
    );
    expect(catchError(() => createProviderRegistry([{ name: 'o', type: 'openai' }])).message).toContain(
      'OPENAI_API_KEY',
    );
    expect(
      catchError(() =>
        createProviderRegistry([
          { name: 'a', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' },
          { name: 'a', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:8/v1' },
        ]),
      ).message,
    ).toContain('Two providers are named "a"');
  });
});
