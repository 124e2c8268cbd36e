import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** A peer debugger process (raw `node --inspect-brk`, raw debugpy) in its own process group. */
export interface PeerProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything the process wrote to stderr so far (bounded to 64 KiB). */
  stderr(): string;
  /** Resolves with the first capture group of `pattern` once stderr matches it; rejects on exit or timeout. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILLs the whole process group (debugpy's adapter included) and waits for the leader to exit. */
  kill(): Promise<void>;
}

const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const group of liveGroups) killGroup(group);
});

function killGroup(group: number): void {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Spawns a peer as the leader of a new process group, so `kill` also ends the helpers it starts. Groups still
 * alive when the bench exits are killed.
 *
 * @example
 * const peer = spawnPeerProcess(process.execPath, ['--inspect-brk=0', 'main.js']);
 * const url = await peer.waitForStderr(/Debugger listening on (ws:\/\/\S+)/);
 * await peer.kill();
 */
export function spawnPeerProcess(
  command: string,
  argumentsList: string[],
  options: { cwd?: string; environment?: NodeJS.ProcessEnv } = {},
): PeerProcess {
  const child = spawn(command, argumentsList, {
    cwd: options.cwd,
    env: options.environment ?? process.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const group = child.pid;
  if (group !== undefined) liveGroups.add(group);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-64 * 1024);
  });
  // Drain stdout so a chatty program never blocks on a full pipe.
  child.stdout.resume();
  return {
    child,
    stderr: () => stderr,
    waitForStderr(pattern, timeoutMs = 15_000) {
      return new Promise<string>((resolve, reject) => {
        const finish = (action: () => void) => {
          clearTimeout(timer);
          child.stderr.off('data', check);
          child.off('exit', onExit);
          child.off('error', onError);
          action();
        };
        const check = () => {
          const match = pattern.exec(stderr);
          if (match) finish(() => resolve(match[1] ?? match[0]));
        };
        const onExit = (code: number | null, signal: string | null) =>
          finish(() =>
            reject(
              new Error(
                `${command} exited (${signal ?? `code ${code}`}) before printing ${pattern}: ${stderr}`,
              ),
            ),
          );
        const onError = (error: Error) => finish(() => reject(error));
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new Error(`${command} printed no ${pattern} within ${timeoutMs} ms: ${stderr}`)),
            ),
          timeoutMs,
        );
        child.stderr.on('data', check);
        child.once('exit', onExit);
        child.once('error', onError);
        check();
      });
    },
    async kill() {
      if (group === undefined) return;
      killGroup(group);
      await exited;
      liveGroups.delete(group);
    },
  };
}
