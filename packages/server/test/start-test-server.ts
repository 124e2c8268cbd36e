import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedModelServerOptions,
} from '@plumb/models/testing';
import { loadConfig } from '../src/config/load-config.ts';
import { startServer, type RunningServer } from '../src/start-server.ts';

export interface TestServer {
  plumb: RunningServer;
  scripted: ScriptedModelServer;
  dataDirectory: string;
  /** The model name that routes to the scripted server. */
  model: string;
  /** Restarts Plumb on the same data directory (a process restart, as far as storage is concerned). */
  restart(): Promise<RunningServer>;
  close(): Promise<void>;
}

/**
 * A real Plumb server on an ephemeral port in front of a real scripted model server, with a temporary
 * SQLite data directory. Auth is off unless `{ auth: true }`.
 */
export async function startTestServer(
  options: {
    scripted?: ScriptedModelServerOptions;
    environment?: Record<string, string>;
    noModels?: boolean;
    /**
     * Authentication on, as in production. Off by default (`--insecure-no-auth`), so tests about other
     * features need no credentials; the auth-*.test.ts files turn it on.
     */
    auth?: boolean;
  } = {},
): Promise<TestServer> {
  const scripted = await startScriptedModelServer(options.scripted);
  const dataDirectory = await mkdtemp(join(tmpdir(), 'plumb-test-'));
  const configure = () =>
    loadConfig({
      // The dependency guard would ask the real registries about every import in scripted answers; tests that
      // exercise it point it at the recorded registry server instead.
      environment: { PLUMB_DEPENDENCY_GUARD: 'off', ...options.environment },
      overrides: {
        port: 0,
        dataDirectory,
        logLevel: 'silent',
        models: options.noModels ? [] : [`scripted/scripted-model=${scripted.url}`],
        insecureNoAuth: options.auth !== true,
      },
    });
  let plumb = await startServer(configure());
  const server: TestServer = {
    get plumb() {
      return plumb;
    },
    scripted,
    dataDirectory,
    model: 'scripted/scripted-model',
    async restart() {
      await plumb.close();
      plumb = await startServer(configure());
      return plumb;
    },
    async close() {
      await plumb.close();
      await scripted.close();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
  return server;
}
