import { createChatTarget, type ChatTarget } from './chat-target.ts';
import { measureOpenLoopLatency } from './measure-open-loop-latency.ts';
import { measureRequestLatency, type LatencyRound } from './measure-request-latency.ts';
import { checkTarget, formatNumber, formatSigned, type ScenarioReport } from './scenario-report.ts';
import type { ServerPair } from './start-server-pair.ts';
import { rotateOrder } from './rotate-order.ts';
import { median, summarizeSamples, type SampleSummary } from './summarize-samples.ts';

export interface LatencyScenarioOptions {
  concurrency: number;
  warmupMs: number;
  rounds: number;
  roundMs: number;
  /** Sequential (concurrency 1) requests per target, spread over `rounds`. */
  sequentialRequests: number;
  /** Fixed arrival rate of the open-loop rows (informational, no target), and the length of each round. */
  openLoopRequestsPerSecond: number;
  openLoopRoundMs: number;
}

/** Per-target medians across rounds (each round's percentile first, then the median of those). */
interface TargetSummary {
  target: string;
  /** `64 concurrent`, `1 concurrent` or `500 req/s open loop`. */
  load: string;
  /** Highest number of requests in flight at once (the concurrency of a closed loop). */
  maxInFlight: number;
  p50: number;
  p90: number;
  p99: number;
  requestsPerSecond: number;
  addedP50: number;
  addedP99: number;
  requests: number;
  errors: number;
  firstError?: string;
}

/**
 * Scenario 1: non-streaming latency. Closed loop at `concurrency` (64) against the scripted server directly,
 * via Plumb in mode `chat`, and via Plumb in mode `code`, in interleaved rounds whose order alternates so
 * drift on a shared machine hits every target alike; then the same at concurrency 1 and, for reference, at a
 * fixed arrival rate (open loop, latency from the scheduled send time). Added latency is
 * (via Plumb − direct) within a round, and the reported figure is the median over rounds.
 *
 * @example
 * const report = await runLatencyScenario(pair, { concurrency: 64, warmupMs: 1500, rounds: 5, roundMs: 3000, sequentialRequests: 300 });
 */
export async function runLatencyScenario(
  pair: ServerPair,
  options: LatencyScenarioOptions,
): Promise<ScenarioReport> {
  const targets = [
    createChatTarget({ label: 'direct', url: pair.directUrl, connections: options.concurrency }),
    createChatTarget({ label: 'via Plumb (chat)', url: pair.plumbUrl, connections: options.concurrency }),
    createChatTarget({
      label: 'via Plumb (code)',
      url: pair.plumbUrl,
      connections: options.concurrency,
      mode: 'code',
    }),
  ];
  try {
    for (const target of targets) {
      await measureRequestLatency({ target, concurrency: options.concurrency, durationMs: options.warmupMs });
    }
    const concurrentRounds: LatencyRound[][] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const results: LatencyRound[] = [];
      for (const target of rotateOrder(targets, round)) {
        results.push(
          await measureRequestLatency({
            target,
            concurrency: options.concurrency,
            durationMs: options.roundMs,
          }),
        );
      }
      concurrentRounds.push(
        targets.map((target) => results.find((result) => result.target === target.label)!),
      );
    }
    const sequentialRounds = await measureSequentialRounds(targets, options);
    const openLoopRounds: LatencyRound[][] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const results: LatencyRound[] = [];
      for (const target of rotateOrder(targets, round)) {
        results.push(
          await measureOpenLoopLatency({
            target,
            requestsPerSecond: options.openLoopRequestsPerSecond,
            durationMs: options.openLoopRoundMs,
          }),
        );
      }
      openLoopRounds.push(targets.map((target) => results.find((result) => result.target === target.label)!));
    }

    const summaries = [
      ...summarizeRounds(targets, concurrentRounds, `${options.concurrency} concurrent`),
      ...summarizeRounds(targets, sequentialRounds, '1 concurrent'),
      ...summarizeRounds(targets, openLoopRounds, `${options.openLoopRequestsPerSecond} req/s open`),
    ];
    const chat = summaries[1]!;
    return {
      name: 'latency',
      title: `1. Non-streaming latency (medians of ${options.rounds} interleaved rounds; closed loop ${options.roundMs / 1000} s, open loop ${options.openLoopRoundMs / 1000} s)`,
      table: {
        headers: [
          'target',
          'load',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'req/s',
          'added p50',
          'added p99',
          'errors',
        ],
        rows: summaries.map((summary) => [
          summary.target,
          summary.load,
          formatNumber(summary.p50),
          formatNumber(summary.p90),
          formatNumber(summary.p99),
          formatNumber(summary.requestsPerSecond, 0),
          summary.target === 'direct' ? '' : formatSigned(summary.addedP50),
          summary.target === 'direct' ? '' : formatSigned(summary.addedP99),
          String(summary.errors),
        ]),
      },
      notes: [
        `Added = via Plumb − direct within the same round (ms), median over rounds. Throughput ratio via Plumb (chat) / direct at concurrency ${options.concurrency}: ${formatNumber(chat.requestsPerSecond / summaries[0]!.requestsPerSecond)}.`,
        "At a fixed concurrency a closed loop queues: latency ≈ concurrency / throughput, so the added latency at 64 concurrent is mostly Plumb's CPU time per request times the queue; the 1-concurrent rows show the per-hop cost without queueing, the open-loop rows the cost at a fixed, moderate load.",
        `Open loop: most requests in flight at once: ${summaries
          .slice(-targets.length)
          .map((summary) => `${summary.target} ${summary.maxInFlight}`)
          .join(
            ', ',
          )}. Open-loop sends go out on ~1 ms timer ticks, which adds up to ~1 ms to every target alike.`,
        ...summaries
          .filter((summary) => summary.firstError)
          .map((summary) => `${summary.target}: first error: ${summary.firstError}`),
      ],
      targets: [
        checkTarget({
          name: `added p50 latency at ${options.concurrency} concurrent (chat)`,
          value: chat.addedP50,
          comparison: '<=',
          limit: 1,
          unit: 'ms',
        }),
        checkTarget({
          name: `added p99 latency at ${options.concurrency} concurrent (chat)`,
          value: chat.addedP99,
          comparison: '<=',
          limit: 5,
          unit: 'ms',
        }),
      ],
      data: { options, summaries, concurrentRounds, sequentialRounds, openLoopRounds },
    };
  } finally {
    await Promise.all(targets.map((target) => target.pool.close()));
  }
}

/** Concurrency 1: requests alternate between the targets one by one, in a rotating order. */
async function measureSequentialRounds(
  targets: ChatTarget[],
  options: LatencyScenarioOptions,
): Promise<LatencyRound[][]> {
  const perRound = Math.max(10, Math.round(options.sequentialRequests / options.rounds));
  const rounds: LatencyRound[][] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const samples = targets.map(() => [] as number[]);
    const errors = targets.map(() => 0);
    const startedAt = process.hrtime.bigint();
    for (let index = 0; index < perRound; index += 1) {
      for (const target of rotateOrder(targets, index)) {
        const position = targets.indexOf(target);
        const sentAt = process.hrtime.bigint();
        const response = await target.pool.request({
          path: target.path,
          method: 'POST',
          headers: target.headers,
          body: target.body.json,
        });
        await response.body.text();
        const elapsed = Number(process.hrtime.bigint() - sentAt) / 1e6;
        if (response.statusCode === 200) samples[position]!.push(elapsed);
        else errors[position]! += 1;
      }
    }
    const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    rounds.push(
      targets.map((target, position) => ({
        target: target.label,
        concurrency: 1,
        durationMs: elapsedMs,
        requests: samples[position]!.length,
        errors: errors[position]!,
        // Sequential requests share the wall clock, so throughput is 1000 / mean latency of that target.
        requestsPerSecond: 1000 / summarizeSamples(samples[position]!).mean,
        latencyMs: summarizeSamples(samples[position]!),
      })),
    );
  }
  return rounds;
}

function summarizeRounds(targets: ChatTarget[], rounds: LatencyRound[][], load: string): TargetSummary[] {
  const pick = (position: number, read: (summary: SampleSummary) => number) =>
    median(rounds.map((round) => read(round[position]!.latencyMs)));
  const added = (position: number, read: (summary: SampleSummary) => number) =>
    median(rounds.map((round) => read(round[position]!.latencyMs) - read(round[0]!.latencyMs)));
  return targets.map((target, position) => {
    const firstError = rounds
      .map((round) => round[position]!.firstError)
      .find((error) => error !== undefined);
    return {
      target: target.label,
      load,
      maxInFlight: Math.max(...rounds.map((round) => round[position]!.concurrency)),
      p50: pick(position, (summary) => summary.p50),
      p90: pick(position, (summary) => summary.p90),
      p99: pick(position, (summary) => summary.p99),
      requestsPerSecond: median(rounds.map((round) => round[position]!.requestsPerSecond)),
      addedP50: added(position, (summary) => summary.p50),
      addedP99: added(position, (summary) => summary.p99),
      requests: rounds.reduce((total, round) => total + round[position]!.requests, 0),
      errors: rounds.reduce((total, round) => total + round[position]!.errors, 0),
      ...(firstError === undefined ? {} : { firstError }),
    };
  });
}
