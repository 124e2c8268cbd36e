import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readCommandLine } from '../read-process-memory.ts';
import { startChildServer, type ChildServer } from '../start-child-server.ts';
import { plumbCli } from '../start-server-pair.ts';
import { createTemporaryDirectory, removeTemporaryDirectories } from '../temporary-directories.ts';

/** Plumb for the debugger scenario: no model, auth off, room for `maximumSessions` live debug sessions. */
export interface DebugServer {
  server: ChildServer;
  origin: string;
  stop(): Promise<void>;
}

/**
 * Starts `plumb serve` (auth off, temporary data directory) with a config file raising the debug session
 * limits. The bench strips `PLUMB_*` variables from its children's environment so only what the bench says
 * configures them; the file carries what `PLUMB_DEBUG_MAX_SESSIONS` and
 * `PLUMB_DEBUG_MAX_SESSIONS_PER_PRINCIPAL` would.
 *
 * @example
 * const plumb = await startDebugServer({ maximumSessions: 100, python: '/usr/bin/python3' });
 * await plumb.stop();
 */
export async function startDebugServer(options: {
  maximumSessions: number;
  python: string;
}): Promise<DebugServer> {
  const dataDirectory = createTemporaryDirectory('plumb-bench-debug-data-');
  const configFile = path.join(dataDirectory, 'plumb-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      debug: {
        maximumSessions: options.maximumSessions,
        maximumSessionsPerPrincipal: options.maximumSessions,
      },
      engines: { pythonPath: options.python },
    }),
  );
  let server: ChildServer;
  try {
    server = await startChildServer({
      name: 'Plumb',
      script: plumbCli,
      arguments: [
        'serve',
        '--port',
        '0',
        '--data-dir',
        dataDirectory,
        '--config',
        configFile,
        '--log-level',
        'warn',
        '--insecure-no-auth',
      ],
      readyPattern: /Plumb listening on (\S+)/,
    });
  } catch (error) {
    removeTemporaryDirectories(dataDirectory);
    throw error;
  }
  const commandLine = await readCommandLine(server.pid);
  if (!commandLine.some((part) => part.endsWith(plumbCli))) {
    await server.stop();
    throw new Error(
      `pid ${server.pid} runs "${commandLine.join(' ')}", not ${plumbCli}; RSS would be misread.`,
    );
  }
  return {
    server,
    origin: new URL(server.url).origin,
    async stop() {
      const exit = await server.stop();
      removeTemporaryDirectories(dataDirectory);
      if (exit.forced) throw new Error('Plumb did not exit within 3 s of SIGTERM.');
    },
  };
}
