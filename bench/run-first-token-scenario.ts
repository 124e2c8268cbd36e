import { createChatTarget } from './chat-target.ts';
import { measureChatStream } from './measure-chat-stream.ts';
import { rotateOrder } from './rotate-order.ts';
import { checkTarget, formatNumber, formatSigned, type ScenarioReport } from './scenario-report.ts';
import type { ServerPair } from './start-server-pair.ts';
import { median, summarizeSamples, type SampleSummary } from './summarize-samples.ts';

export interface FirstTokenScenarioOptions {
  /** Streamed requests per target, sequential, split into `rounds`. */
  requests: number;
  rounds: number;
  warmupRequests: number;
}

interface FirstTokenRound {
  target: string;
  firstTokenMs: SampleSummary;
  headersMs: SampleSummary;
  totalMs: SampleSummary;
}

/**
 * Scenario 2: time to first token. Streamed requests one at a time (concurrency 1), alternating between
 * direct, via Plumb (chat) and via Plumb (code); TTFT is from send to the first SSE event with non-empty
 * `delta.content` parsed by the client. Added TTFT is via − direct per round, median over rounds.
 *
 * @example
 * const report = await runFirstTokenScenario(pair, { requests: 200, rounds: 4, warmupRequests: 20 });
 */
export async function runFirstTokenScenario(
  pair: ServerPair,
  options: FirstTokenScenarioOptions,
): Promise<ScenarioReport> {
  const targets = [
    createChatTarget({ label: 'direct', url: pair.directUrl, connections: 1 }),
    createChatTarget({ label: 'via Plumb (chat)', url: pair.plumbUrl, connections: 1 }),
    createChatTarget({ label: 'via Plumb (code)', url: pair.plumbUrl, connections: 1, mode: 'code' }),
  ];
  try {
    for (let index = 0; index < options.warmupRequests; index += 1) {
      for (const target of targets) await measureChatStream({ target });
    }
    const perRound = Math.max(10, Math.round(options.requests / options.rounds));
    const rounds: FirstTokenRound[][] = [];
    let incomplete = 0;
    for (let round = 0; round < options.rounds; round += 1) {
      const samples = targets.map(() => ({
        firstToken: [] as number[],
        headers: [] as number[],
        total: [] as number[],
      }));
      for (let index = 0; index < perRound; index += 1) {
        for (const target of rotateOrder(targets, index)) {
          const timing = await measureChatStream({ target });
          if (!timing.done || timing.error) incomplete += 1;
          const sample = samples[targets.indexOf(target)]!;
          sample.firstToken.push(timing.firstTokenMs);
          sample.headers.push(timing.headersMs);
          sample.total.push(timing.totalMs);
        }
      }
      rounds.push(
        targets.map((target, position) => ({
          target: target.label,
          firstTokenMs: summarizeSamples(samples[position]!.firstToken),
          headersMs: summarizeSamples(samples[position]!.headers),
          totalMs: summarizeSamples(samples[position]!.total),
        })),
      );
    }
    const summaries = targets.map((target, position) => {
      const pick = (read: (round: FirstTokenRound) => number) =>
        median(rounds.map((round) => read(round[position]!)));
      const added = (read: (round: FirstTokenRound) => number) =>
        median(rounds.map((round) => read(round[position]!) - read(round[0]!)));
      return {
        target: target.label,
        firstTokenP50: pick((round) => round.firstTokenMs.p50),
        firstTokenP90: pick((round) => round.firstTokenMs.p90),
        firstTokenP99: pick((round) => round.firstTokenMs.p99),
        headersP50: pick((round) => round.headersMs.p50),
        totalP50: pick((round) => round.totalMs.p50),
        addedFirstTokenP50: added((round) => round.firstTokenMs.p50),
        addedFirstTokenP99: added((round) => round.firstTokenMs.p99),
      };
    });
    const chat = summaries[1]!;
    return {
      name: 'firstToken',
      title: `2. Streaming time to first token (sequential; ${perRound * options.rounds} requests per target in ${options.rounds} interleaved rounds)`,
      table: {
        headers: [
          'target',
          'TTFT p50 ms',
          'TTFT p90 ms',
          'TTFT p99 ms',
          'headers p50',
          'stream end p50',
          'added p50',
          'added p99',
        ],
        rows: summaries.map((summary) => [
          summary.target,
          formatNumber(summary.firstTokenP50),
          formatNumber(summary.firstTokenP90),
          formatNumber(summary.firstTokenP99),
          formatNumber(summary.headersP50),
          formatNumber(summary.totalP50),
          summary.target === 'direct' ? '' : formatSigned(summary.addedFirstTokenP50),
          summary.target === 'direct' ? '' : formatSigned(summary.addedFirstTokenP99),
        ]),
      },
      notes: [
        'TTFT = send → first non-empty delta.content parsed by the client; "headers" = send → response headers.',
        ...(incomplete > 0 ? [`${incomplete} streams ended without [DONE] or with an error event.`] : []),
      ],
      targets: [
        checkTarget({
          name: 'added TTFT p50 (chat)',
          value: chat.addedFirstTokenP50,
          comparison: '<=',
          limit: 2,
          unit: 'ms',
        }),
      ],
      data: { options, summaries, rounds, incomplete },
    };
  } finally {
    await Promise.all(targets.map((target) => target.pool.close()));
  }
}
