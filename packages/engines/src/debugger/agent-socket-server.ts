import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The engine's end of the agent relay: DevTools protocol requests and notifications as JSON lines. */
export interface AgentConnection {
  send<TResult = Record<string, unknown>>(method: string, params?: object): Promise<TResult>;
  onNotification(listener: (method: string, params: Record<string, unknown>) => void): void;
  onClose(listener: () => void): void;
  readonly closed: boolean;
}

export interface AgentSocketServer {
  /** The socket's directory: give it to the sandbox as writable (bubblewrap hides the engine's /tmp). */
  directory: string;
  socketPath: string;
  /** Resolves with the first agent that connects. */
  connection: Promise<AgentConnection>;
  close(): void;
}

/**
 * Listens on a fresh Unix socket (directory 0700, socket 0600) for the in-process agent. A Unix socket instead
 * of a TCP debug port: nobody else on the machine can attach, and there is no Nagle delay on each step.
 *
 * @example const server = await listenForAgent(); const connection = await server.connection;
 */
export async function listenForAgent(): Promise<AgentSocketServer> {
  const directory = mkdtempSync(path.join(tmpdir(), 'plumb-debug-'));
  chmodSync(directory, 0o700);
  const socketPath = path.join(directory, 'agent.sock');
  const server = net.createServer();
  let resolveConnection: (connection: AgentConnection) => void = () => {};
  const connection = new Promise<AgentConnection>((resolve) => (resolveConnection = resolve));
  const remove = () => {
    server.close();
    rmSync(directory, { recursive: true, force: true });
  };
  server.once('connection', (socket) => {
    // One agent per session: once it is connected nobody else may connect, and nothing is left on disk even
    // if the engine dies without cleaning up.
    remove();
    resolveConnection(createAgentConnection(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  return {
    directory,
    socketPath,
    connection,
    close: remove,
  };
}

function createAgentConnection(socket: net.Socket): AgentConnection {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  const notificationListeners: ((method: string, params: Record<string, unknown>) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let buffer = '';
  socket.setNoDelay(true);
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const message = JSON.parse(line) as {
        id?: number;
        method?: string;
        params?: Record<string, unknown>;
        result?: unknown;
        error?: { message: string };
      };
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result as never);
      } else if (message.method) {
        for (const listener of notificationListeners) listener(message.method, message.params ?? {});
      }
    }
  });
  const close = () => {
    if (closed) return;
    closed = true;
    for (const waiter of pending.values()) waiter.reject(new Error('the debuggee has ended'));
    pending.clear();
    for (const listener of closeListeners) listener();
  };
  socket.on('close', close);
  socket.on('error', close);
  return {
    get closed() {
      return closed;
    },
    send<TResult>(method: string, params?: object) {
      if (closed) return Promise.reject(new Error('the debuggee has ended'));
      const id = nextId++;
      return new Promise<TResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.write(JSON.stringify({ id, method, params }) + '\n');
      });
    },
    onNotification(listener) {
      notificationListeners.push(listener);
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
  };
}
