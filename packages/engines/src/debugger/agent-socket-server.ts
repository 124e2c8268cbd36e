import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProtocolConnection } from './create-protocol-connection.ts';

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
  const { connection, receive, ended } = createProtocolConnection({
    write: (text) => socket.write(`${text}\n`),
    close: () => socket.end(),
  });
  let buffer = '';
  socket.setNoDelay(true);
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      receive(line);
    }
  });
  socket.on('close', ended);
  socket.on('error', ended);
  return connection;
}
