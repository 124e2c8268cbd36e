import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A server running in its own Node process, started by the bench. */
export interface ChildServer {
  name: string;
  /** The pid of the Node process running the server (spawned directly, no npm or shell in between). */
  pid: number;
  /** The first capture group of the ready pattern: the URL the server printed. */
  url: string;
  /** The last 64 KiB the process wrote to stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs` (default 3 s); resolves once the process has exited. */
  stop(graceMs?: number): Promise<ChildExit>;
}

/** The repository root: children run from here so `--import tsx` resolves from its node_modules. */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** How a child ended: `forced` when it ignored SIGTERM for the whole grace period and was killed. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  forced: boolean;
}

const liveChildren = new Set<ChildProcess>();
const outputLimit = 64 * 1024;

/**
 * Spawns `node --import tsx <script> ...` and waits until it prints a line matching `readyPattern`, whose
 * first capture group becomes `url`. Rejects (after killing the child) when it exits first or is not ready in
 * time. Every child is remembered so `killAllChildServers` can end them on exit, error or SIGINT.
 *
 * @example
 * const scripted = await startChildServer({
 *   name: 'scripted model server',
 *   script: 'packages/models/src/testing/scripted-model-server-cli.ts',
 *   arguments: ['--port', '8787'],
 *   readyPattern: /(http:\/\/\S+\/v1)\b/,
 * });
 */
export async function startChildServer(options: {
  name: string;
  script: string;
  arguments: string[];
  readyPattern: RegExp;
  nodeArguments?: string[];
  timeoutMs?: number;
}): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...(options.nodeArguments ?? []), options.script, ...options.arguments],
    { cwd: repositoryRoot, env: benchEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  liveChildren.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      liveChildren.delete(child);
      resolve();
    });
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-outputLimit);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);

  const stop = async (graceMs = 3000): Promise<ChildExit> => {
    let forced = false;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        forced = true;
        child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    }
    return { code: child.exitCode, signal: child.signalCode, forced };
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 30_000;
      const timer = setTimeout(
        () => reject(new Error(`${options.name} printed no ready line within ${timeoutMs} ms.`)),
        timeoutMs,
      );
      const check = () => {
        const match = options.readyPattern.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] ?? match[0]);
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited (${signal ?? `code ${code}`}) before it was ready.`));
      });
    });
    if (child.pid === undefined) throw new Error(`${options.name} has no pid.`);
    return { name: options.name, pid: child.pid, url, output: () => output, stop };
  } catch (error) {
    await stop(500);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${message}\nCommand: node --import tsx ${options.script} ${options.arguments.join(' ')}\nOutput:\n${output}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Kills every child still running, synchronously (usable from a `process.on('exit')` handler).
 *
 * @example
 * process.on('exit', killAllChildServers);
 */
export function killAllChildServers(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
}

/**
 * The environment without Plumb and provider settings, so a developer's shell (a PostgreSQL URL, an OpenAI
 * key) cannot change what is measured: the flags alone configure the children.
 */
function benchEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('PLUMB_') || key.startsWith('OPENAI_') || key.startsWith('ANTHROPIC_')) continue;
    if (key === 'NODE_OPTIONS') continue;
    environment[key] = value;
  }
  return environment;
}
