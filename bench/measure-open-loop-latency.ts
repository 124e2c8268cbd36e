import type { ChatTarget } from './chat-target.ts';
import type { LatencyRound } from './measure-request-latency.ts';
import { summarizeSamples } from './summarize-samples.ts';

/**
 * Sends non-streaming requests at a fixed rate (open loop) for `durationMs`, whatever the answers do, and times
 * each from its *scheduled* send time to the last byte of the body, so a slow answer that delays later sends
 * counts against the target (no coordinated omission). Unlike a closed loop, the latency then reflects the
 * per-request cost at a given load rather than the queue a fixed concurrency builds up.
 *
 * @example
 * const round = await measureOpenLoopLatency({ target: viaPlumb, requestsPerSecond: 500, durationMs: 2000 });
 */
export async function measureOpenLoopLatency(options: {
  target: ChatTarget;
  requestsPerSecond: number;
  durationMs: number;
}): Promise<LatencyRound> {
  const { target, requestsPerSecond, durationMs } = options;
  const intervalNs = 1e9 / requestsPerSecond;
  const total = Math.max(1, Math.round((requestsPerSecond * durationMs) / 1000));
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let maxInFlight = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  const startedAt = process.hrtime.bigint();

  const send = async (scheduledAt: bigint) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const response = await target.pool.request({
        path: target.path,
        method: 'POST',
        headers: target.headers,
        body: target.body.json,
      });
      const text = await response.body.text();
      if (response.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - scheduledAt) / 1e6);
      else {
        errors += 1;
        firstError ??= `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
      }
    } catch (error) {
      errors += 1;
      firstError ??= error instanceof Error ? error.message : String(error);
    } finally {
      inFlight -= 1;
    }
  };

  let sent = 0;
  while (sent < total) {
    const now = process.hrtime.bigint();
    // Timers fire about every millisecond at best: send everything that has come due since the last tick.
    while (sent < total && startedAt + BigInt(Math.round(sent * intervalNs)) <= now) {
      pending.push(send(startedAt + BigInt(Math.round(sent * intervalNs))));
      sent += 1;
    }
    if (sent < total) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await Promise.all(pending);
  const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  return {
    target: target.label,
    concurrency: maxInFlight,
    durationMs: elapsedMs,
    requests: latencies.length,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    requestsPerSecond: (latencies.length / elapsedMs) * 1000,
    latencyMs: summarizeSamples(latencies),
  };
}
