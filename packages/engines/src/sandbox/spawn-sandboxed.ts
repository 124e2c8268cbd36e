import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectIsolation, type IsolationMethod } from './detect-isolation.ts';

/** The repository (or installation) root: packages/engines/src/sandbox is four levels below it. */
const installationRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Environment variables a sandboxed process inherits; everything else (tokens, keys, passwords) is dropped. */
export const inheritedEnvironmentNames = [
  'PATH',
  'LANG',
  'LC_ALL',
  'TZ',
  'TERM',
  'NODE_OPTIONS_ALLOWED',
] as const;

export interface SandboxOptions {
  command: string;
  args: string[];
  /** Extra environment on top of the allow-listed one. */
  environment?: Record<string, string>;
  /** Paths the process may write besides its own temporary working directory. */
  writablePaths?: string[];
  /**
   * Paths the process must be able to read even when they live under /tmp, which the sandbox replaces with an
   * empty one (the code under test often sits in a temporary directory).
   */
  readablePaths?: string[];
  /** `deny` (default) cuts the network where the platform allows it; see `isolation` in the result. */
  network?: 'deny' | 'allow';
  /** Address-space limit of the program (RLIMIT_AS through util-linux `prlimit`, when installed). */
  memoryLimitBytes?: number;
  /** Standard streams and extra pipes, as for `child_process.spawn`. Default: ignore, pipe, pipe. */
  stdio?: StdioOptions;
  /** Force an isolation method (tests); default: the strongest one that works here. */
  isolation?: IsolationMethod;
}

export interface SandboxedProcess {
  child: ChildProcess;
  /** The temporary working directory, removed by `dispose`. */
  workingDirectory: string;
  isolation: IsolationMethod;
  /** Kills the whole process group (and PID namespace under bubblewrap), then removes the working directory. */
  dispose(): void;
}

/**
 * Starts an untrusted program: own process group, temporary working directory, allow-listed environment, and,
 * where the platform allows, no network and a read-only file system outside that directory (bubblewrap), or
 * no network only (`unshare -Urn`). Time and memory limits belong to the caller, which knows what one unit of
 * work is (the executors set their own memory caps; the engine kills on timeouts).
 *
 * @example const sandboxed = spawnSandboxed({ command: process.execPath, args: ['-e', '1'] }); sandboxed.dispose();
 */
export function spawnSandboxed(options: SandboxOptions): SandboxedProcess {
  const workingDirectory = mkdtempSync(path.join(tmpdir(), 'plumb-sandbox-'));
  const isolation = options.network === 'allow' ? 'none' : (options.isolation ?? detectIsolation());
  const environment: Record<string, string> = { HOME: workingDirectory, TMPDIR: workingDirectory };
  for (const name of inheritedEnvironmentNames) {
    const value = process.env[name];
    if (value !== undefined) environment[name] = value;
  }
  Object.assign(environment, options.environment);

  let command = options.command;
  let args = options.args;
  if (options.memoryLimitBytes !== undefined && prlimitAvailable()) {
    // RLIMIT_AS: an allocation past the limit fails inside the program (MemoryError, V8's out-of-memory abort)
    // instead of pushing the machine into swap or the OOM killer's hands.
    args = [`--as=${Math.floor(options.memoryLimitBytes)}`, '--', command, ...args];
    command = 'prlimit';
  }
  if (isolation === 'bubblewrap') {
    const writable = [workingDirectory, ...(options.writablePaths ?? [])].flatMap((writablePath) => [
      '--bind',
      writablePath,
      writablePath,
    ]);
    // Plumb itself (its executors, tsx in node_modules) must stay readable when it is installed under /tmp.
    const readable = [installationRoot, ...(options.readablePaths ?? [])]
      .filter((readablePath) => readablePath.startsWith('/tmp/'))
      .flatMap((readablePath) => ['--ro-bind', readablePath, readablePath]);
    args = [
      '--ro-bind', '/', '/',
      '--dev', '/dev',
      '--proc', '/proc',
      '--tmpfs', '/tmp',
      ...readable,
      ...writable,
      '--unshare-net',
      '--unshare-pid',
      '--die-with-parent',
      '--chdir', workingDirectory,
      '--',
      command,
      ...args,
    ]; // prettier-ignore
    command = 'bwrap';
  } else if (isolation === 'unshare') {
    args = ['-Urn', '--', command, ...args];
    command = 'unshare';
  }

  const child = spawn(command, args, {
    cwd: workingDirectory,
    env: environment,
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let disposed = false;
  return {
    child,
    workingDirectory,
    isolation,
    dispose() {
      if (disposed) return;
      disposed = true;
      killProcessGroup(child);
      rmSync(workingDirectory, { recursive: true, force: true });
    },
  };
}

let prlimitFound: boolean | undefined;

function prlimitAvailable(): boolean {
  prlimitFound ??= ['/usr/bin/prlimit', '/bin/prlimit'].some((candidate) => existsSync(candidate));
  return prlimitFound;
}

/** SIGKILL to the child's process group: the program and anything it forked die together. */
export function killProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone; fall back to the direct child in case the group was never formed.
    try {
      child.kill('SIGKILL');
    } catch {
      // Nothing left to kill.
    }
  }
}
