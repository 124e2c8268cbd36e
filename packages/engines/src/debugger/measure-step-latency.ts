/**
 * Step round trip (command -> snapshot) at the engine, per backend: `node --import tsx
 * packages/engines/src/debugger/measure-step-latency.ts [steps]`. Prints p50/p99 in milliseconds and the
 * time from launch (or attach) to the first stop; the JavaScript program also under `node --inspect-brk`,
 * attached over the inspector's WebSocket. A measurement script, not a test: numbers depend on the machine.
 */
import { fileURLToPath } from 'node:url';
import { createDebugBackend } from './create-debug-backend.ts';
import type { DebugBackend, DebugLanguage, StopResult } from './debug-backend.ts';
import { startInspectedProgram } from './start-inspected-program.ts';

const steps = Number(process.argv[2] ?? 500);
const fixtures = fileURLToPath(new URL('../../fixtures/debugger/contract', import.meta.url));
const programs: Record<DebugLanguage, string> = {
  javascript: `${fixtures}/javascript/stepping.ts`,
  python: `${fixtures}/python/stepping.py`,
};

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;

const format = (value: number) => value.toFixed(3);

/** Steps `backend` from its first stop and prints one row. */
async function measure(label: string, backend: DebugBackend, first: () => Promise<StopResult>) {
  const launchStarted = performance.now();
  const firstResult = await first();
  const firstStop = performance.now() - launchStarted;
  if (firstResult.status !== 'stopped') throw new Error(`${label}: no first stop (${firstResult.status})`);
  const timings: number[] = [];
  for (let step = 0; step < steps; step++) {
    const started = performance.now();
    const result = await backend.stepOver();
    timings.push(performance.now() - started);
    if (result.status !== 'stopped')
      throw new Error(`${label}: step ${step} did not stop (${result.status})`);
  }
  await backend.terminate();
  timings.sort((a, b) => a - b);
  process.stdout.write(
    `${label.padEnd(18)} steps ${steps}  p50 ${format(percentile(timings, 0.5))} ms  p99 ${format(percentile(timings, 0.99))} ms  launch to first stop ${firstStop.toFixed(0)} ms\n`,
  );
}

for (const language of ['javascript', 'python'] as const) {
  const backend = createDebugBackend(language);
  await measure(language, backend, () => backend.launch({ program: programs[language], stopOnEntry: true }));
}
// The same program under node --inspect-brk, attached over the inspector's WebSocket instead of the agent.
const target = await startInspectedProgram(programs.javascript, { holdAtStart: true });
const attached = createDebugBackend('javascript');
try {
  await measure('javascript attach', attached, () =>
    attached.attach({ address: target.address, stopOnEntry: true }),
  );
} finally {
  target.child.kill('SIGKILL');
}
