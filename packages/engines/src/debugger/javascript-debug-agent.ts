/**
 * The in-process debug agent, preloaded into the debuggee with `node --import <this file>`. It is not imported
 * by the engine. Two modes, chosen by environment variables the engine sets (and which are removed before the
 * program runs, so the program and its children never see them):
 *
 * - `PLUMB_DEBUG_SOCKET`: start a worker thread that relays the inspector to the engine over that Unix socket,
 *   and hold the program back until the engine says `Plumb.run` (breakpoints first, then code).
 * - `PLUMB_COVERAGE_FILE`: record V8 precise block coverage from the first line of the program and write it,
 *   with the sources of the scripts, to that file when the process exits (however it exits).
 */
import inspector from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import { javascriptAgentWorkerSource } from './javascript-agent-worker-source.ts';

const socketPath = process.env.PLUMB_DEBUG_SOCKET;
// Resolved before the chdir below: the file belongs in the sandbox's own directory, not the program's.
const coverageFile = process.env.PLUMB_COVERAGE_FILE && path.resolve(process.env.PLUMB_COVERAGE_FILE);
const workingDirectory = process.env.PLUMB_DEBUG_CWD;
delete process.env.PLUMB_DEBUG_SOCKET;
delete process.env.PLUMB_COVERAGE_FILE;
delete process.env.PLUMB_DEBUG_CWD;
// The sandbox always starts in its own temporary directory; the program asked for another one.
if (workingDirectory) process.chdir(workingDirectory);

// Logpoints print through the inspector console only, so the program's own stdout stays untouched.
Object.defineProperty(globalThis, '__plumbLogpoint', {
  value: (message: string) => inspector.console.log('\u0000plumb-logpoint', message),
  enumerable: false,
});
// Hit counts of breakpoints, and the formatting of logpoint interpolations (see build-breakpoint-condition.ts).
Object.defineProperty(globalThis, '__plumbHits', { value: Object.create(null) as object, enumerable: false });
Object.defineProperty(globalThis, '__plumbFormat', {
  value: (value: unknown) =>
    typeof value === 'string' ? value : inspect(value, { depth: 2, breakLength: Infinity }),
  enumerable: false,
});

if (socketPath) {
  const detached = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(javascriptAgentWorkerSource, {
    eval: true,
    // Without this the worker inherits `--import` of this agent and starts a worker of its own, forever.
    execArgv: [],
    workerData: { socketPath, detached },
    stdout: false,
    stderr: false,
  });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: unknown) => {
      if (message === 'run') resolve();
      else reject(new Error(`plumb debug agent: ${JSON.stringify(message)}`));
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

if (coverageFile) recordCoverage(coverageFile);

function recordCoverage(file: string): void {
  const session = new inspector.Session();
  session.connect();
  // A session on the main thread answers synchronously, which is what lets the exit handler below work.
  const post = (method: string, params?: object): unknown => {
    let answer: unknown;
    session.post(method, params, (error, result) => {
      if (error) throw error;
      answer = result;
    });
    return answer;
  };
  const scripts = new Map<string, { url: string; sourceMapURL: string }>();
  session.on('Debugger.scriptParsed', (message) => {
    const { scriptId, url, sourceMapURL } = message.params;
    if (url && !url.startsWith('node:') && !url.includes('/node_modules/') && url !== import.meta.url) {
      scripts.set(scriptId, { url, sourceMapURL: sourceMapURL ?? '' });
    }
  });
  post('Debugger.enable');
  post('Profiler.enable');
  post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  process.on('exit', () => {
    const coverage = post('Profiler.takePreciseCoverage') as inspector.Profiler.TakePreciseCoverageReturnType;
    const result = coverage.result.flatMap((script) => {
      const parsed = scripts.get(script.scriptId);
      if (!parsed) return [];
      const { scriptSource } = post('Debugger.getScriptSource', {
        scriptId: script.scriptId,
      }) as inspector.Debugger.GetScriptSourceReturnType;
      return [{ ...parsed, source: scriptSource, functions: script.functions }];
    });
    writeFileSync(file, JSON.stringify(result));
  });
}
