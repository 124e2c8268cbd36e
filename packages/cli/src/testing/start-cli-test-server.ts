import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedModelServer, type ScriptedModelServer } from '@plumb/models/testing';
import { allScopes } from '@plumb/protocol';
import { createApiKeyStore, loadConfig, startServer, type RunningServer } from '@plumb/server';

export interface CliTestServer {
  plumb: RunningServer;
  scripted: ScriptedModelServer;
  /** The model name that routes to the scripted server. */
  model: string;
  /** The environment a CLI run needs to reach this server. */
  environment: Record<string, string>;
  /** The bodies of the chat completion requests the scripted model received, oldest first. */
  upstreamChats(): Array<{ messages: Array<{ role: string; content: unknown }> }>;
  close(): Promise<void>;
}

/**
 * A real Plumb server on an ephemeral port with a temporary data directory, in front of the scripted model
 * server, for CLI tests. Auth is on; `environment` carries an API key with every scope.
 *
 * @example
 * const server = await startCliTestServer();
 * await runCapturedProgram(['models'], { environment: server.environment });
 */
export async function startCliTestServer(): Promise<CliTestServer> {
  const scripted = await startScriptedModelServer();
  const dataDirectory = await mkdtemp(join(tmpdir(), 'plumb-cli-test-'));
  const plumb = await startServer(
    loadConfig({
      environment: {},
      overrides: {
        port: 0,
        dataDirectory,
        logLevel: 'silent',
        models: [`scripted/scripted-model=${scripted.url}`],
      },
    }),
  );
  // Auth stays on, as in production: the CLI sends this key (all scopes) from PLUMB_API_KEY.
  const { key } = await createApiKeyStore(plumb.storage).create({ name: 'cli-tests', scopes: allScopes });
  return {
    plumb,
    scripted,
    model: 'scripted/scripted-model',
    environment: { PLUMB_URL: plumb.url, PLUMB_API_KEY: key },
    upstreamChats: () =>
      scripted.requests
        .filter((request) => request.path.endsWith('/chat/completions'))
        .map((request) => request.body as { messages: Array<{ role: string; content: unknown }> }),
    async close() {
      await plumb.close();
      await scripted.close();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}
