import type { ProviderConfig } from '@plumb/models';

const defaultBaseUrls: Record<ProviderConfig['type'], string | undefined> = {
  'openai-compatible': undefined,
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
};

/**
 * Whether a provider answers its model list endpoint within the timeout. Any HTTP answer below 500 counts:
 * the server is there (a 401 still proves reachability; credentials are reported by chat requests).
 *
 * @example
 * const reachable = await checkProviderReachable(provider, { timeoutMs: 2000 });
 */
export async function checkProviderReachable(
  provider: ProviderConfig,
  options: { timeoutMs: number },
): Promise<{ reachable: boolean; detail: string }> {
  const baseUrl = provider.baseUrl ?? defaultBaseUrls[provider.type];
  if (!baseUrl) return { reachable: false, detail: 'no base URL configured' };
  const headers: Record<string, string> = { ...provider.headers };
  if (provider.apiKey) {
    if (provider.type === 'anthropic') headers['x-api-key'] = provider.apiKey;
    else headers.authorization = `Bearer ${provider.apiKey}`;
  }
  try {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/models`, {
      headers,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.body?.cancel();
    return { reachable: response.status < 500, detail: `HTTP ${response.status}` };
  } catch (error) {
    return { reachable: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
