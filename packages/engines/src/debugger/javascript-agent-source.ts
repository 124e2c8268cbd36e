import { javascriptAgentWorkerSource } from './javascript-agent-worker-source.ts';

/**
 * The globals breakpoint conditions call in the debuggee (see build-breakpoint-condition.ts), as JavaScript that
 * expects `inspector` (node:inspector) and `inspect` (node:util) in scope. Configurable, so attaching again
 * replaces them and starts the hit counts from zero.
 */
export const debuggeeHelpersSource = String.raw`
// Logpoints print through the inspector console only, so the program's own stdout stays untouched.
Object.defineProperty(globalThis, '__plumbLogpoint', {
  value: (message) => inspector.console.log('\u0000plumb-logpoint', message),
  enumerable: false,
  configurable: true,
});
// Hit counts of breakpoints, and the formatting of logpoint interpolations.
Object.defineProperty(globalThis, '__plumbHits', {
  value: Object.create(null),
  enumerable: false,
  configurable: true,
});
Object.defineProperty(globalThis, '__plumbFormat', {
  value: (value) => (typeof value === 'string' ? value : inspect(value, { depth: 2, breakLength: Infinity })),
  enumerable: false,
  configurable: true,
});
`;

/**
 * The in-process debug agent, as ES module source preloaded into the debuggee with `node --import <data: URL>`.
 * Plain JavaScript in a string rather than a .ts file: a .ts preload needs a TypeScript loader (tsx: a loader
 * thread, esbuild's process, ~0.5-1 s on a busy machine) before the first line of a plain .js program could
 * run, and a data: URL needs no file inside the sandbox. It may import only Node built-ins.
 *
 * With `PLUMB_DEBUG_SOCKET` (removed, with `PLUMB_DEBUG_CWD`, before the program runs, so the program and its
 * children never see them) it starts a worker thread that relays the inspector to the engine over that Unix
 * socket, and holds the program back until the engine says `Plumb.run` (breakpoints first, then code).
 */
const javascriptDebugAgentSource = String.raw`
import inspector from 'node:inspector';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';

const socketPath = process.env.PLUMB_DEBUG_SOCKET;
const workingDirectory = process.env.PLUMB_DEBUG_CWD;
delete process.env.PLUMB_DEBUG_SOCKET;
delete process.env.PLUMB_DEBUG_CWD;
// The sandbox always starts in its own temporary directory; the program asked for another one.
if (workingDirectory) process.chdir(workingDirectory);

DEBUGGEE_HELPERS

if (socketPath) {
  const detached = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // Without this the worker inherits the preloads (this agent, tsx) and starts a worker of its own, forever.
    execArgv: [],
    workerData: { socketPath, detached },
    stdout: false,
    stderr: false,
  });
  await new Promise((resolve, reject) => {
    worker.on('message', (message) => {
      if (message === 'run') resolve();
      else reject(new Error('plumb debug agent: ' + JSON.stringify(message)));
    });
    worker.once('error', reject);
  });
  // The relay must not keep a finished program alive, and it detaches before the process goes: the exit
  // handler cannot wait asynchronously, so it blocks (briefly) on a flag the worker sets once detached.
  worker.unref();
  process.on('exit', () => {
    worker.postMessage('detach');
    Atomics.wait(detached, 0, 0, 500);
  });
}
`
  .replace('WORKER_SOURCE', JSON.stringify(javascriptAgentWorkerSource))
  .replace('DEBUGGEE_HELPERS', () => debuggeeHelpersSource);

/**
 * The `data:` URL to pass to `node --import` in the debuggee.
 *
 * @example spawn(process.execPath, ['--import', javascriptDebugAgentUrl, '/app/main.js']);
 */
export const javascriptDebugAgentUrl = `data:text/javascript;base64,${Buffer.from(javascriptDebugAgentSource).toString('base64')}`;
