import path from 'node:path';
import {
  createDebugBackend,
  debugLanguageOf,
  type PythonDebugBackendName,
  type StopResult,
} from '@plumb/engines';
import type { DebugDriver } from './debug-driver.ts';

/**
 * Drives the debug engine in this process: the program runs under the same backend the server uses (V8
 * agent for JS/TS, bdb or debugpy for Python), sandboxed; or, with `attach`, a JS/TS program someone started
 * with `node --inspect` is attached to over its WebSocket, and `close` detaches from it (it keeps running).
 *
 * @example const driver = createLocalDebugDriver({ program: 'cart.py', args: [], breakpoints: { 'cart.py': [4] } });
 * @example const attached = createLocalDebugDriver({ attach: '127.0.0.1:9229', breakpoints: new Map() });
 */
export function createLocalDebugDriver(
  options: (
    | { program: string; args: string[]; attach?: undefined }
    | { attach: string; program?: undefined; args?: undefined }
  ) & {
    breakpoints: Map<string, number[]>;
    python?: string;
    pythonBackend?: PythonDebugBackendName;
  },
): DebugDriver {
  const program = options.program === undefined ? undefined : path.resolve(options.program);
  const backend = createDebugBackend(program === undefined ? 'javascript' : debugLanguageOf(program), {
    python: options.python,
    pythonBackend: options.pythonBackend,
  });
  const breakpoints = Object.fromEntries(
    [...options.breakpoints].map(([file, lines]) => [path.resolve(file), lines.map((line) => ({ line }))]),
  );
  // The last answer: a `continue` while the program runs waits for its next stop instead of failing.
  let last: StopResult | undefined;
  const remember = async (result: Promise<StopResult>) => (last = await result);
  const start = () => {
    const stopOnEntry = options.breakpoints.size === 0;
    if (options.attach !== undefined)
      return backend.attach({ address: options.attach, stopOnEntry, breakpoints });
    return backend.launch({
      program: program ?? '',
      args: options.args ?? [],
      cwd: process.cwd(),
      readablePaths: [process.cwd()],
      stopOnEntry,
      breakpoints,
    });
  };
  return {
    start: () => remember(start()),
    command(name) {
      if (name === 'continue')
        return remember(last?.status === 'running' ? backend.waitForStop() : backend.continue());
      if (name === 'pause') return remember(backend.pause());
      if (name === 'step_over') return remember(backend.stepOver());
      if (name === 'step_in') return remember(backend.stepIn());
      return remember(backend.stepOut());
    },
    async setBreakpoints(file, lines) {
      const bound = await backend.setBreakpoints(
        path.resolve(file),
        lines.map((line) => ({ line })),
      );
      return bound.map((breakpoint) => ({
        line: breakpoint.line ?? 0,
        verified: breakpoint.verified,
        ...(breakpoint.message ? { message: breakpoint.message } : {}),
      }));
    },
    async evaluate(expression) {
      return (await backend.evaluate({ expression })).result;
    },
    async stack() {
      return (await backend.stackTrace()).map((frame) => ({
        name: frame.name,
        ...(frame.source?.path ? { file: path.relative(process.cwd(), frame.source.path) } : {}),
        line: frame.line,
      }));
    },
    close: () => backend.terminate(),
  };
}
