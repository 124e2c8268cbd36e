import { PlumbError } from '@plumb/protocol';
import WebSocket from 'ws';
import { createProtocolConnection, type InspectorConnection } from './create-protocol-connection.ts';

/**
 * Opens a DevTools protocol session on a Node inspector's WebSocket (`ws://127.0.0.1:9229/<id>`), as the same
 * connection the in-process agent gives, so the JavaScript backend drives both alike. No per-message deflate
 * (the inspector's messages are small and latency matters more than bytes). ws turns Nagle's algorithm off on
 * this side itself (`socket.setNoDelay()` in `WebSocket#setSocket`, ws 8); the inspector's side is handled by
 * `nudge` below. Throws PlumbError `debug_attach_failed` when the WebSocket cannot be opened.
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
  let sentThisTurn = false;
  let nudgeScheduled = false;
  let nudges = 0;
  // Nudges answered since the last real message: a few more cover a message the inspector sends soon after.
  let chained = 0;
  const { connection, receive, ended, pendingCount } = createProtocolConnection({
    write: (text) => {
      sentThisTurn = true;
      socket.send(text);
    },
    close: () => socket.close(),
  });
  /**
   * Node's inspector leaves Nagle's algorithm on: a second small message waits until the first is
   * acknowledged, and this side delays its ACK by ~40 ms unless it has data to send. A step's answer,
   * `Debugger.resumed` and `Debugger.paused` are three messages: two such waits (step p50 88 ms). A tiny request
   * (`Runtime.getIsolateId`, negative id) sent back after each burst that nothing else answers carries the ACK at
   * once (p50 ~1-2 ms); its answer brings another while real requests are pending, and up to three times
   * after the last real message (the next one, `Debugger.paused` after a step's answer, is often on its way).
   */
  const nudge = (force: boolean) => {
    if (nudgeScheduled || (!force && pendingCount() === 0 && chained > 2)) return;
    nudgeScheduled = true;
    sentThisTurn = false;
    setImmediate(() => {
      nudgeScheduled = false;
      if (sentThisTurn || socket.readyState !== WebSocket.OPEN) return;
      socket.send(`{"id":${-++nudges},"method":"Runtime.getIsolateId"}`);
    });
  };
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
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    if (text.startsWith('{"id":-')) {
      chained += 1;
      return nudge(false);
    }
    chained = 0;
    // Only messages for this connection nudge: an answer to a nudge in any other shape cannot start a loop.
    if (receive(text)) nudge(true);
  });
  socket.on('close', ended);
  // 'close' follows every 'error'; without a listener an error would be thrown out of the event loop.
  socket.on('error', () => undefined);
  return connection;
}
