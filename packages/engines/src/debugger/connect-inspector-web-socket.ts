import { PlumbError } from '@plumb/protocol';
import WebSocket from 'ws';
import { createProtocolConnection, type InspectorConnection } from './create-protocol-connection.ts';

/**
 * Opens a DevTools protocol session on a Node inspector's WebSocket (`ws://127.0.0.1:9229/<id>`), as the same
 * connection the in-process agent gives, so the JavaScript backend drives both alike. No per-message deflate
 * (the inspector's messages are small and latency matters more than bytes); ws turns Nagle's algorithm off on
 * its socket itself (`setNoDelay()` once the upgrade is done), so a step is not held back by delayed ACKs.
 * Throws PlumbError `debug_attach_failed` when the WebSocket cannot be opened.
 *
 * @example const connection = await connectInspectorWebSocket('ws://127.0.0.1:9229/3f1c...'); await connection.send('Debugger.enable');
 */
export async function connectInspectorWebSocket(
  url: string,
  options: { timeoutMilliseconds?: number } = {},
): Promise<InspectorConnection> {
  const socket = new WebSocket(url, {
    perMessageDeflate: false,
    handshakeTimeout: options.timeoutMilliseconds ?? 3_000,
  });
  const { connection, receive, ended } = createProtocolConnection({
    write: (text) => socket.send(text),
    close: () => socket.close(),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
  } catch (error) {
    socket.terminate();
    throw new PlumbError(
      'debug_attach_failed',
      `Cannot open the inspector's WebSocket ${url}: ${(error as Error).message}. Is another debugger attached, or did the program end?`,
      { cause: error },
    );
  }
  socket.on('message', (data: Buffer) => receive(data.toString('utf8')));
  socket.on('close', ended);
  // 'close' follows every 'error'; without a listener an error would be thrown out of the event loop.
  socket.on('error', () => undefined);
  return connection;
}
