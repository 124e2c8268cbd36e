import path from 'node:path';
import { createDebugBackend, debugLanguageOf, type PythonDebugBackendName } from '@plumb/engines';
import type { DebugDriver } from './debug-driver.ts';

/**
 * Drives the debug engine in this process: the program runs under the same backend the server uses (V8
 * agent for JS/TS, bdb or debugpy for Python), sandboxed.
 *
 * @example const driver = createLocalDebugDriver({ program: 'cart.py', args: [], breakpoints: { 'cart.py': [4] } });
 */
export function createLocalDebugDriver(options: {
  program: string;
  args: string[];
  breakpoints: Map<string, number[]>;
  python?: string;
  pythonBackend?: PythonDebugBackendName;
}): DebugDriver {
  const program = path.resolve(options.program);
  const backend = createDebugBackend(debugLanguageOf(program), {
    python: options.python,
    pythonBackend: options.pythonBackend,
  });
  return {
    start: () =>
      backend.launch({
        program,
        args: options.args,
        cwd: process.cwd(),
        readablePaths: [process.cwd()],
        stopOnEntry: options.breakpoints.size === 0,
        breakpoints: Object.fromEntries(
          [...options.breakpoints].map(([file, lines]) => [
            path.resolve(file),
            lines.map((line) => ({ line })),
          ]),
        ),
      }),
    command(name) {
      if (name === 'continue') return backend.continue();
      if (name === 'step_over') return backend.stepOver();
      if (name === 'step_in') return backend.stepIn();
      return backend.stepOut();
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
