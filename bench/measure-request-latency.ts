import type { ChatTarget } from './chat-target.ts';
import { summarizeSamples, type SampleSummary } from './summarize-samples.ts';

/** One round of closed-loop non-streaming requests against one target. */
export interface LatencyRound {
  target: string;
  concurrency: number;
  durationMs: number;
  requests: number;
  errors: number;
  firstError?: string;
  requestsPerSecond: number;
  latencyMs: SampleSummary;
}

/**
 * Runs `concurrency` workers that each send one non-streaming request after another (closed loop) until
 * `durationMs` is over, and times every request from send to the last byte of the body with
 * `process.hrtime.bigint()`.
 *
 * @example
 * const round = await measureRequestLatency({ target: direct, concurrency: 64, durationMs: 3000 });
 * console.log(round.latencyMs.p99, round.requestsPerSecond);
 */
export async function measureRequestLatency(options: {
  target: ChatTarget;
  concurrency: number;
  durationMs: number;
}): Promise<LatencyRound> {
  const { target, concurrency, durationMs } = options;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const startedAt = process.hrtime.bigint();
  const deadline = startedAt + BigInt(Math.round(durationMs * 1e6));

  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const sentAt = process.hrtime.bigint();
      try {
        const response = await target.pool.request({
          path: target.path,
          method: 'POST',
          headers: target.headers,
          body: target.body.json,
        });
        const text = await response.body.text();
        const elapsed = Number(process.hrtime.bigint() - sentAt) / 1e6;
        if (response.statusCode === 200) {
          latencies.push(elapsed);
        } else {
          errors += 1;
          firstError ??= `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
        }
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
        // A refused connection fails at once; do not spin on it.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  return {
    target: target.label,
    concurrency,
    durationMs: elapsedMs,
    requests: latencies.length,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    requestsPerSecond: (latencies.length / elapsedMs) * 1000,
    latencyMs: summarizeSamples(latencies),
  };
}
