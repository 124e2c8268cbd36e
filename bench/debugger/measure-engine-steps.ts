import { performance } from 'node:perf_hooks';
import {
  createDebugBackend,
  type DebugBackend,
  type DebugLanguage,
  type PythonDebugBackendName,
} from '@plumb/engines';
import type { PeerTimings } from './measure-cdp-steps.ts';

/**
 * The engine's step round trip (`stepOver` until its snapshot), the same loop as
 * packages/engines/src/debugger/measure-step-latency.ts but on the bench's programs, plus launch to the first
 * stop at a breakpoint on line 2 (a fresh backend per launch), in milliseconds.
 *
 * @example
 * const timings = await measureEngineSteps({ language: 'python', program: '/tmp/x/main.py', steps: 200, launches: 10, python: '/usr/bin/python3' });
 */
export async function measureEngineSteps(options: {
  language: DebugLanguage;
  program: string;
  steps: number;
  launches: number;
  python: string;
  /** Python only: the bdb backend (default) or debugpy. */
  pythonBackend?: PythonDebugBackendName;
}): Promise<PeerTimings> {
  const create = (): DebugBackend =>
    createDebugBackend(options.language, { python: options.python, pythonBackend: options.pythonBackend });
  const firstStops: number[] = [];
  for (let launch = 0; launch < options.launches; launch += 1) {
    const backend = create();
    try {
      const started = performance.now();
      const first = await backend.launch({
        program: options.program,
        breakpoints: { [options.program]: [{ line: 2 }] },
      });
      const elapsed = performance.now() - started;
      if (first.status !== 'stopped' || first.snapshot.location.line !== 2) {
        throw new Error(`${options.language} engine: launch did not stop at line 2 (${describe(first)}).`);
      }
      firstStops.push(elapsed);
    } finally {
      await backend.terminate();
    }
  }
  const backend = create();
  const steps: number[] = [];
  try {
    const first = await backend.launch({ program: options.program, stopOnEntry: true });
    if (first.status !== 'stopped')
      throw new Error(`${options.language} engine: no stop on entry (${describe(first)}).`);
    for (let step = 0; step < options.steps; step += 1) {
      const started = performance.now();
      const result = await backend.stepOver();
      steps.push(performance.now() - started);
      if (result.status !== 'stopped') {
        throw new Error(`${options.language} engine: step ${step} did not stop (${describe(result)}).`);
      }
    }
  } finally {
    await backend.terminate();
  }
  return { steps, firstStops };
}

function describe(result: { status: string; snapshot?: { location: { line: number } } }): string {
  return result.snapshot ? `${result.status} at line ${result.snapshot.location.line}` : result.status;
}
