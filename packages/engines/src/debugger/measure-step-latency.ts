/**
 * Step round trip (command -> snapshot) at the engine, per backend: `node --import tsx
 * packages/engines/src/debugger/measure-step-latency.ts [steps]`. Prints p50/p99 in milliseconds and the
 * time from launch to the first stop. A measurement script, not a test: numbers depend on the machine.
 */
import { fileURLToPath } from 'node:url';
import { createDebugBackend } from './create-debug-backend.ts';
import type { DebugLanguage } from './debug-backend.ts';

const steps = Number(process.argv[2] ?? 500);
const fixtures = fileURLToPath(new URL('../../fixtures/debugger/contract', import.meta.url));
const programs: Record<DebugLanguage, string> = {
  javascript: `${fixtures}/javascript/stepping.ts`,
  python: `${fixtures}/python/stepping.py`,
};

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;

for (const language of ['javascript', 'python'] as const) {
  const backend = createDebugBackend(language);
  const launchStarted = performance.now();
  const first = await backend.launch({ program: programs[language], stopOnEntry: true });
  const firstStop = performance.now() - launchStarted;
  if (first.status !== 'stopped') throw new Error(`${language}: no first stop (${first.status})`);
  const timings: number[] = [];
  for (let step = 0; step < steps; step++) {
    const started = performance.now();
    const result = await backend.stepOver();
    timings.push(performance.now() - started);
    if (result.status !== 'stopped')
      throw new Error(`${language}: step ${step} did not stop (${result.status})`);
  }
  await backend.terminate();
  timings.sort((a, b) => a - b);
  const format = (value: number) => value.toFixed(3);
  process.stdout.write(
    `${language.padEnd(10)} steps ${steps}  p50 ${format(percentile(timings, 0.5))} ms  p99 ${format(percentile(timings, 0.99))} ms  launch to first stop ${firstStop.toFixed(0)} ms\n`,
  );
}
