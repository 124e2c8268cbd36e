import { PlumbError } from '@plumb/protocol';
import type { ProviderConfigInput } from './plumb-config.ts';

/**
 * Parses one `--model provider/model-id=http://host:port/v1` flag into an OpenAI-compatible provider
 * (Ollama, vLLM, llama.cpp server, LM Studio ...). The model id may contain slashes.
 *
 * @example
 * parseModelFlag('ollama/qwen2.5-coder:7b=http://127.0.0.1:11434/v1');
 * // { name: 'ollama', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', models: ['qwen2.5-coder:7b'] }
 */
export function parseModelFlag(flag: string): ProviderConfigInput {
  const match = /^([a-z0-9][a-z0-9_-]*)\/([^=]+)=(https?:\/\/.+)$/.exec(flag.trim());
  if (!match) {
    throw new PlumbError(
      'invalid_request',
      `Cannot read --model "${flag}". Write it as provider/model-id=base-url, for example --model ollama/qwen2.5-coder=http://127.0.0.1:11434/v1.`,
      { param: 'model' },
    );
  }
  const [, name, modelId, baseUrl] = match as unknown as [string, string, string, string];
  return { name, type: 'openai-compatible', baseUrl, models: [modelId] };
}
