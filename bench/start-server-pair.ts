import { readCommandLine } from './read-process-memory.ts';
import { createTemporaryDirectory, removeTemporaryDirectories } from './temporary-directories.ts';
import { startChildServer, type ChildExit, type ChildServer } from './start-child-server.ts';

/** A scripted model server and a Plumb server in front of it, each in its own child process. */
export interface ServerPair {
  scripted: ChildServer;
  plumb: ChildServer;
  /** `POST` URL of the scripted server's chat completions endpoint (the baseline). */
  directUrl: string;
  /** `POST` URL of Plumb's `/v3/chat/completions` (the subject). */
  plumbUrl: string;
  /** Plumb's origin, e.g. for `/healthz`. */
  plumbOrigin: string;
  /** Stops Plumb (SIGTERM, SIGKILL after `graceMs`), then the scripted server; removes the data directory. */
  stop(graceMs?: number): Promise<{ plumb: ChildExit; scripted: ChildExit }>;
}

export const scriptedServerCli = 'packages/models/src/testing/scripted-model-server-cli.ts';
export const plumbCli = 'packages/cli/src/bin/plumb.ts';

/**
 * Starts the scripted model server (`script` with `scriptedArguments`, default the models package CLI), then
 * `plumb serve` with a temporary data directory and `--model scripted/scripted-model=<scripted url>`.
 * Both are spawned as `node --import tsx <file>` directly, so the pids are the servers' own (checked via
 * /proc/<pid>/cmdline) and VmRSS can be read from them.
 *
 * @example
 * const pair = await startServerPair({ scriptedArguments: ['--text', 'Hello'] });
 * await pair.stop();
 */
export async function startServerPair(options: {
  scriptedArguments: string[];
  scriptedScript?: string;
  plumbNodeArguments?: string[];
  /** Run Plumb with authentication on (default off: the proxy benchmarks measure the relay alone). */
  auth?: boolean;
  /** Runs before Plumb starts, with its data directory (e.g. to create API keys and OAuth clients). */
  prepareDataDirectory?: (dataDirectory: string) => Promise<void>;
}): Promise<ServerPair> {
  const scriptedScript = options.scriptedScript ?? scriptedServerCli;
  const scripted = await startChildServer({
    name: 'scripted model server',
    script: scriptedScript,
    // Port 0: each server binds a free port itself and prints its URL, so no port can be taken in between.
    arguments: ['--port', '0', ...options.scriptedArguments],
    readyPattern: /(http:\/\/\S+\/v1)\b/,
  });
  const dataDirectory = createTemporaryDirectory('plumb-bench-data-');
  let plumb: ChildServer;
  try {
    await options.prepareDataDirectory?.(dataDirectory);
    plumb = await startChildServer({
      name: 'Plumb',
      script: plumbCli,
      nodeArguments: options.plumbNodeArguments ?? [],
      arguments: [
        'serve',
        '--port',
        '0',
        '--data-dir',
        dataDirectory,
        '--log-level',
        'warn',
        '--model',
        `scripted/scripted-model=${scripted.url}`,
        // The proxy benchmarks measure the relay alone; the auth scenario turns auth on.
        ...(options.auth ? [] : ['--insecure-no-auth']),
      ],
      readyPattern: /Plumb listening on (\S+)/,
    });
  } catch (error) {
    await scripted.stop();
    removeTemporaryDirectories(dataDirectory);
    throw error;
  }
  await checkCommandLine(scripted, scriptedScript);
  await checkCommandLine(plumb, plumbCli);
  const plumbOrigin = new URL(plumb.url).origin;
  return {
    scripted,
    plumb,
    directUrl: `${scripted.url}/chat/completions`,
    plumbUrl: `${plumbOrigin}/v3/chat/completions`,
    plumbOrigin,
    async stop(graceMs) {
      const plumbExit = await plumb.stop(graceMs);
      const scriptedExit = await scripted.stop();
      removeTemporaryDirectories(dataDirectory);
      return { plumb: plumbExit, scripted: scriptedExit };
    },
  };
}

/** Memory numbers are only meaningful if the pid is the server's Node process, not a wrapper around it. */
async function checkCommandLine(server: ChildServer, script: string): Promise<void> {
  const commandLine = await readCommandLine(server.pid);
  if (!commandLine.some((part) => part.endsWith(script))) {
    throw new Error(
      `pid ${server.pid} runs "${commandLine.join(' ')}", not ${script}; RSS would be misread.`,
    );
  }
}
