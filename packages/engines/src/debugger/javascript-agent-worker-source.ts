/**
 * The worker thread the in-process agent starts, as CommonJS source. It runs with `execArgv: []` and no
 * loader, so it must be plain JavaScript: a string keeps it independent of how the agent itself was compiled.
 *
 * It connects to the main thread's inspector (which keeps answering while the main thread is paused, because
 * this thread is not) and relays the DevTools protocol as JSON lines over the engine's Unix socket. `Plumb.run`
 * is the one message of its own: it releases the main thread, which waits in the agent until the engine has set
 * its breakpoints.
 */
export const javascriptAgentWorkerSource = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const inspector = require('node:inspector');
const net = require('node:net');
const session = new inspector.Session();
session.connectToMainThread();
const socket = net.createConnection(workerData.socketPath);
socket.setNoDelay(true);
socket.setEncoding('utf8');
const send = (message) => socket.write(JSON.stringify(message) + '\n');
session.on('inspectorNotification', (notification) => send(notification));
let buffer = '';
socket.on('data', (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    const message = JSON.parse(line);
    if (message.method === 'Plumb.run') {
      parentPort.postMessage('run');
      send({ id: message.id, result: {} });
      continue;
    }
    session.post(message.method, message.params, (error, result) =>
      send(error ? { id: message.id, error: { message: error.message } } : { id: message.id, result }),
    );
  }
});
// The engine went away (terminated the session): nothing may keep the program paused forever.
socket.on('close', () => {
  try { session.disconnect(); } catch {}
  process.exit(0);
});
// The program is exiting: let go of the main thread now, or Node waits for "the debugger to disconnect".
parentPort.on('message', (message) => {
  if (message !== 'detach') return;
  try { session.disconnect(); } catch {}
  Atomics.store(workerData.detached, 0, 1);
  Atomics.notify(workerData.detached, 0);
});
socket.on('error', (error) => {
  parentPort.postMessage({ error: error.message });
});
`;
