import { allScopes, type Scope } from '@plumb/protocol';
import { createApiKeyStore, type ApiKeyStore } from '../src/auth/api-key-store.ts';
import { startTestServer, type TestServer } from './start-test-server.ts';

export interface AuthTestServer {
  server: TestServer;
  url: string;
  model: string;
  apiKeys: ApiKeyStore;
  /** A new API key with these scopes (default: all). */
  createKey(scopes?: readonly Scope[], options?: { expiresAt?: number }): Promise<string>;
  /** `fetch` against the server with `Authorization: Bearer <token>` (when given) and a JSON body. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * A real Plumb server with authentication on (the other test servers run with `--insecure-no-auth`), and
 * the API key store on its storage.
 *
 * @example
 * const auth = await startAuthTestServer();
 * const key = await auth.createKey(['code:read']);
 * const { status } = await auth.call('GET', '/v3/models', { token: key });
 */
export async function startAuthTestServer(
  options: { environment?: Record<string, string> } = {},
): Promise<AuthTestServer> {
  const server = await startTestServer({ auth: true, ...options });
  const apiKeys = createApiKeyStore(server.plumb.storage);
  const url = server.plumb.url;
  return {
    server,
    url,
    model: server.model,
    apiKeys,
    async createKey(scopes = allScopes, keyOptions = {}) {
      return (await apiKeys.create({ name: 'test', scopes, expiresAt: keyOptions.expiresAt ?? null })).key;
    },
    async call(method, path, callOptions = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(callOptions.token === undefined ? {} : { authorization: `Bearer ${callOptions.token}` }),
          ...(callOptions.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...callOptions.headers,
        },
        ...(callOptions.body === undefined ? {} : { body: JSON.stringify(callOptions.body) }),
      });
      const text = await response.text();
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { text };
      }
      return { status: response.status, headers: response.headers, body };
    },
    close: () => server.close(),
  };
}

/** The `error` object of an error response body. */
export function errorOf(body: Record<string, unknown>): { code: string; message: string } {
  return body.error as { code: string; message: string };
}
