import type { DebugLanguage, StateSnapshot, VariableSummary } from './debug-backend.ts';
import { createDebugBackend, debugLanguageOf } from './create-debug-backend.ts';
import { snapshotLimits } from './debug-backend.ts';

export interface RunToFailureOptions {
  /** The program or test file to run; its test cases fail by throwing (assertions) or crashing. */
  program: string;
  args?: string[];
  cwd?: string;
  environment?: Record<string, string>;
  language?: DebugLanguage;
  /** Give up after this long; default 30 s. */
  timeoutMilliseconds?: number;
  python?: string;
}

export interface FailureFrame {
  name: string;
  file?: string;
  line: number;
  locals: VariableSummary[];
}

export interface RunToFailureResult {
  status: 'failed' | 'passed' | 'timeout';
  exception?: { type: string; message: string };
  /** User frames at the failure, innermost (the faulting frame) first, each with its locals. */
  frames: FailureFrame[];
  snapshot?: StateSnapshot;
  exitCode?: number | null;
  recentOutput: string[];
  warnings: string[];
}

/**
 * Runs a program or test command with exception breakpoints on, stops at the first uncaught exception or failing
 * assertion (even one a test framework catches), and returns the locals of every user frame there.
 *
 * @example
 * const result = await runToFailure({ program: '/app/test_cart.py' });
 * result.frames[0] // => { name: 'test_total', line: 12, locals: [{ name: 'cart', value: '<Cart ...>' }, ...] }
 */
export async function runToFailure(options: RunToFailureOptions): Promise<RunToFailureResult> {
  const language = options.language ?? debugLanguageOf(options.program);
  const backend = createDebugBackend(language, { python: options.python });
  const warnings: string[] = [];
  try {
    const stop = await backend.launch({
      program: options.program,
      args: options.args,
      cwd: options.cwd,
      environment: options.environment,
      exceptionFilters: ['uncaught', 'assertion'],
      waitMilliseconds: options.timeoutMilliseconds ?? 30_000,
    });
    if (stop.status === 'running') {
      warnings.push('The program neither failed nor ended within the time limit; it was stopped.');
      return {
        status: 'timeout',
        frames: [],
        recentOutput: backend.output().map((entry) => entry.output),
        warnings,
      };
    }
    if (stop.status === 'terminated') {
      if (stop.exitCode !== 0) {
        warnings.push(
          `The program exited with code ${stop.exitCode} without an exception the debugger could stop at.`,
        );
      }
      return {
        status: stop.exitCode === 0 ? 'passed' : 'failed',
        frames: [],
        exitCode: stop.exitCode,
        recentOutput: stop.recentOutput,
        warnings,
      };
    }
    const frames: FailureFrame[] = [];
    for (const frame of stop.snapshot.callStack.filter(
      (candidate) => !candidate.isAsync && candidate.id >= 0,
    )) {
      const scopes = await backend.scopes(frame.id);
      const wanted = scopes.filter((scope) => ['Locals', 'Block', 'Local'].includes(scope.name));
      const chosen =
        wanted.length > 0 ? wanted : scopes.filter((scope) => scope.name === 'Module').slice(0, 1);
      const locals: VariableSummary[] = [];
      for (const scope of chosen) {
        for (const variable of await backend.variables({
          variablesReference: scope.variablesReference,
          count: snapshotLimits.locals,
        })) {
          if (!locals.some((known) => known.name === variable.name)) locals.push(variable);
        }
      }
      frames.push({
        name: frame.name,
        file: frame.file,
        line: frame.line,
        locals: locals.slice(0, snapshotLimits.locals),
      });
    }
    return {
      status: 'failed',
      exception: stop.snapshot.exception,
      frames,
      snapshot: stop.snapshot,
      recentOutput: stop.snapshot.recentOutput,
      warnings,
    };
  } finally {
    await backend.terminate();
  }
}
