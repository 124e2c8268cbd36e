import { performance } from 'node:perf_hooks';
import type { DebugHttpClient, DebugSessionAnswer, SessionProgram } from './debug-http-client.ts';
import type { PeerTimings } from './measure-cdp-steps.ts';

/**
 * The step round trip over HTTP: a session stopped on entry, then `POST .../commands {command:'step_over'}`
 * timed until the answer (the session with its new snapshot) is read and parsed; and session create until
 * its first stop at a breakpoint on line 2 (the create answer carries it), each session deleted after.
 *
 * @example
 * const timings = await measureHttpSteps(http, { name: 'main.py', content }, { steps: 200, creates: 10 });
 */
export async function measureHttpSteps(
  http: DebugHttpClient,
  program: SessionProgram,
  options: { steps: number; creates: number },
): Promise<PeerTimings> {
  const firstStops: number[] = [];
  for (let create = 0; create < options.creates; create += 1) {
    const started = performance.now();
    const session = await http.create(program, { breakpointLine: 2 });
    const elapsed = performance.now() - started;
    try {
      if (lineOf(session) !== 2)
        throw new Error(`${program.name}: create did not stop at line 2 (${describe(session)}).`);
      firstStops.push(elapsed);
    } finally {
      await http.remove(session.id);
    }
  }
  const session = await http.create(program, { stopOnEntry: true });
  const steps: number[] = [];
  try {
    if (lineOf(session) === undefined)
      throw new Error(`${program.name}: no stop on entry (${describe(session)}).`);
    for (let step = 0; step < options.steps; step += 1) {
      const started = performance.now();
      const answer = await http.command(session.id, 'step_over');
      steps.push(performance.now() - started);
      if (lineOf(answer) === undefined) {
        throw new Error(`${program.name}: step ${step} over HTTP did not stop (${describe(answer)}).`);
      }
    }
  } finally {
    await http.remove(session.id);
  }
  return { steps, firstStops };
}

/** The line a session is stopped at, or undefined when it is not stopped. */
export function lineOf(session: DebugSessionAnswer): number | undefined {
  return session.stop?.status === 'stopped' ? session.stop.snapshot.location.line : undefined;
}

export function describe(session: DebugSessionAnswer): string {
  const line = lineOf(session);
  return line === undefined
    ? `status ${session.status}, stop ${session.stop?.status ?? 'none'}`
    : `stopped at line ${line}`;
}
