import { performance } from 'node:perf_hooks';
import { WebSocket } from 'undici';
import { spawnPeerProcess, type PeerProcess } from './spawn-peer-process.ts';

/** Step and first-stop timings of one peer, in milliseconds. */
export interface PeerTimings {
  /** Step command until the stop (the peer's stop event, or the engine's snapshot). */
  steps: number[];
  /** Start (spawn, launch or create) until the first stop. */
  firstStops: number[];
  /** Raw peers: step command until its response, before the stop event arrives. */
  acknowledgements?: number[];
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: unknown;
  error?: { message: string };
}

/** A Chrome DevTools Protocol connection over the inspector's WebSocket: commands by id, events by name. */
class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly waiters = new Map<string, Array<() => void>>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id !== undefined) {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) pending?.reject(new Error(`CDP error: ${message.error.message}`));
        else pending?.resolve(message);
      } else if (message.method !== undefined) {
        const waiting = this.waiters.get(message.method);
        this.waiters.delete(message.method);
        for (const wake of waiting ?? []) wake();
      }
    });
  }

  static open(url: string): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(new CdpConnection(socket)), { once: true });
      socket.addEventListener(
        'error',
        () => reject(new Error(`Could not open the inspector WebSocket ${url}.`)),
        {
          once: true,
        },
      );
    });
  }

  send(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Resolves at the next event named `method` (register before sending the command that causes it). */
  next(method: string, timeoutMs = 10_000): Promise<void> {
    const event = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No ${method} within ${timeoutMs} ms.`)), timeoutMs);
      const list = this.waiters.get(method) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.waiters.set(method, list);
    });
    // A wait abandoned because something else failed first must not become an unhandled rejection.
    event.catch(() => undefined);
    return event;
  }

  close(): void {
    this.socket.close();
  }
}

/** Starts `node --inspect-brk=0 program`, connects, enables the debugger and waits for the first pause. */
async function startPaused(program: string): Promise<{ peer: PeerProcess; connection: CdpConnection }> {
  const peer = spawnPeerProcess(process.execPath, ['--inspect-brk=0', program], {
    environment: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  try {
    const url = await peer.waitForStderr(/Debugger listening on (ws:\/\/\S+)/);
    const connection = await CdpConnection.open(url);
    const paused = connection.next('Debugger.paused');
    await connection.send('Debugger.enable');
    await connection.send('Runtime.runIfWaitingForDebugger');
    await paused;
    return { peer, connection };
  } catch (error) {
    await peer.kill();
    throw error;
  }
}

/**
 * The raw CDP peer: `node --inspect-brk=0 program`, a WebSocket client sending `Debugger.enable` and
 * `Runtime.runIfWaitingForDebugger`, then `Debugger.stepOver` timed until `Debugger.paused` (no stack or
 * scope requests: the least any CDP debugger does per step). First stops: spawn until the first pause.
 *
 * @example
 * const timings = await measureCdpSteps({ program: '/tmp/x/main.js', steps: 200, launches: 10 });
 */
export async function measureCdpSteps(options: {
  program: string;
  steps: number;
  launches: number;
}): Promise<PeerTimings> {
  const firstStops: number[] = [];
  for (let launch = 0; launch < options.launches; launch += 1) {
    const started = performance.now();
    const { peer, connection } = await startPaused(options.program);
    firstStops.push(performance.now() - started);
    connection.close();
    await peer.kill();
  }
  const { peer, connection } = await startPaused(options.program);
  const steps: number[] = [];
  const acknowledgements: number[] = [];
  try {
    for (let step = 0; step < options.steps; step += 1) {
      const started = performance.now();
      const paused = connection.next('Debugger.paused');
      await connection.send('Debugger.stepOver');
      acknowledgements.push(performance.now() - started);
      await paused;
      steps.push(performance.now() - started);
    }
  } finally {
    connection.close();
    await peer.kill();
  }
  return { steps, firstStops, acknowledgements };
}
