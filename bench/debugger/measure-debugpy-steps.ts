import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { DapSocketClient } from './dap-socket-client.ts';
import type { PeerTimings } from './measure-cdp-steps.ts';
import { spawnPeerProcess, type PeerProcess } from './spawn-peer-process.ts';

const run = promisify(execFile);

/**
 * Whether `python` can import debugpy; the version, or undefined.
 *
 * @example
 * await debugpyVersion('/usr/bin/python3'); // '1.6.3+git20221103.a2a3328'
 */
export async function debugpyVersion(python: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(python, ['-c', 'import debugpy; print(debugpy.__version__)'], {
      timeout: 15_000,
    });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function connectWithRetry(
  peer: PeerProcess,
  port: number,
  timeoutMs = 15_000,
): Promise<DapSocketClient> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await DapSocketClient.connect(port);
    } catch (error) {
      if (peer.child.exitCode !== null)
        throw new Error(`debugpy exited (code ${peer.child.exitCode}): ${peer.stderr()}`, { cause: error });
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/**
 * Starts `python -m debugpy --listen 127.0.0.1:<port> --wait-for-client program`, attaches over TCP (initialize,
 * attach, setBreakpoints on line 1, configurationDone) and waits for the `stopped` event there.
 */
async function startStopped(python: string, program: string) {
  const port = await freePort();
  const peer = spawnPeerProcess(
    python,
    ['-m', 'debugpy', '--listen', `127.0.0.1:${port}`, '--wait-for-client', program],
    {
      environment: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    },
  );
  try {
    const client = await connectWithRetry(peer, port);
    await client.request('initialize', {
      clientID: 'plumb-bench',
      adapterID: 'python',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    const initialized = client.next('initialized');
    const stopped = client.next('stopped');
    const attached = client.request('attach', { justMyCode: true });
    await initialized;
    await client.request('setBreakpoints', { source: { path: program }, breakpoints: [{ line: 1 }] });
    await client.request('configurationDone');
    await attached;
    const stop = await stopped;
    const threadId = Number(stop.body?.threadId);
    if (!Number.isInteger(threadId))
      throw new Error(`debugpy stopped without a threadId: ${JSON.stringify(stop)}`);
    return { peer, client, threadId };
  } catch (error) {
    await peer.kill();
    throw error;
  }
}

/**
 * The raw debugpy peer: a minimal DAP client over TCP, `next` timed until the `stopped` event (no stackTrace,
 * scopes or variables requests: the least any DAP client does per step). First stops: spawn until the stop
 * at the line-1 breakpoint.
 *
 * @example
 * const timings = await measureDebugpySteps({ python: '/usr/bin/python3', program: '/tmp/x/main.py', steps: 200, launches: 10 });
 */
export async function measureDebugpySteps(options: {
  python: string;
  program: string;
  steps: number;
  launches: number;
}): Promise<PeerTimings> {
  const firstStops: number[] = [];
  for (let launch = 0; launch < options.launches; launch += 1) {
    const started = performance.now();
    const { peer, client } = await startStopped(options.python, options.program);
    firstStops.push(performance.now() - started);
    client.close();
    await peer.kill();
  }
  const { peer, client, threadId } = await startStopped(options.python, options.program);
  const steps: number[] = [];
  const acknowledgements: number[] = [];
  try {
    for (let step = 0; step < options.steps; step += 1) {
      const started = performance.now();
      const stopped = client.next('stopped');
      await client.request('next', { threadId });
      acknowledgements.push(performance.now() - started);
      await stopped;
      steps.push(performance.now() - started);
    }
  } finally {
    client.close();
    await peer.kill();
  }
  return { steps, firstStops, acknowledgements };
}
