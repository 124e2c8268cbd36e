import { createChatTarget, type ChatTarget } from './chat-target.ts';
import { measureChatStream, type ChatStreamTiming } from './measure-chat-stream.ts';
import { rotateOrder } from './rotate-order.ts';
import { checkTarget, formatNumber, formatSigned, type ScenarioReport } from './scenario-report.ts';
import type { ServerPair } from './start-server-pair.ts';
import { median, summarizeSamples, type SampleSummary } from './summarize-samples.ts';

export interface RelayScenarioOptions {
  /** The text the scripted server streams, to count tokens and check that it arrived intact. */
  expectedText: string;
  rounds: number;
  warmupStreams: number;
  /** Include a via-Plumb row in mode `code` (guards and fence splitting on every chunk). */
  includeCodeMode: boolean;
}

interface RelayRound {
  target: string;
  durationMs: number;
  firstTokenMs: number;
  contentDeltas: number;
  tokens: number;
  tokensPerSecond: number;
  /** Tokens / (first content delta → last content delta): the relay rate once the stream flows. */
  flowingTokensPerSecond: number;
  intact: boolean;
  done: boolean;
  error?: string;
  gapsMs: SampleSummary;
}

const tokenPattern = /\S+/g;

/**
 * Scenario 3: relaying one long stream. Used twice: unpaced (the scripted server writes ~200,000 tokens as fast
 * as it can; tokens/s says how fast Plumb can relay) and paced (e.g. 2,000 tokens/s; the gaps between content
 * deltas say whether Plumb adds delay or batches). Rounds alternate direct and via Plumb.
 *
 * @example
 * const report = await runRelayScenario(pair, { kind: 'unpaced', expectedText, rounds: 3, warmupStreams: 1, includeCodeMode: false });
 */
export async function runRelayScenario(
  pair: ServerPair,
  options: RelayScenarioOptions & { kind: 'unpaced' | 'paced'; tokensPerSecond?: number },
): Promise<ScenarioReport> {
  const targets: ChatTarget[] = [
    createChatTarget({ label: 'direct', url: pair.directUrl, connections: 1 }),
    createChatTarget({ label: 'via Plumb (chat)', url: pair.plumbUrl, connections: 1 }),
    ...(options.includeCodeMode
      ? [
          createChatTarget({
            label: 'via Plumb (code)',
            url: pair.plumbUrl,
            connections: 1,
            mode: 'code' as const,
          }),
        ]
      : []),
  ];
  const expectedTokens = options.expectedText.match(tokenPattern)?.length ?? 0;
  try {
    for (let index = 0; index < options.warmupStreams; index += 1) {
      for (const target of targets) await measureChatStream({ target });
    }
    const rounds: RelayRound[][] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const results = new Map<string, RelayRound>();
      for (const target of rotateOrder(targets, round)) {
        const timing = await measureChatStream({ target, recordArrivals: true });
        results.set(target.label, toRelayRound(target.label, timing, options.expectedText));
      }
      rounds.push(targets.map((target) => results.get(target.label)!));
    }
    const summaries = targets.map((target, position) => {
      const pick = (read: (round: RelayRound) => number) =>
        median(rounds.map((round) => read(round[position]!)));
      const added = (read: (round: RelayRound) => number) =>
        median(rounds.map((round) => read(round[position]!) - read(round[0]!)));
      return {
        target: target.label,
        tokensPerSecond: pick((round) => round.tokensPerSecond),
        flowingTokensPerSecond: pick((round) => round.flowingTokensPerSecond),
        durationMs: pick((round) => round.durationMs),
        firstTokenMs: pick((round) => round.firstTokenMs),
        contentDeltas: pick((round) => round.contentDeltas),
        tokens: pick((round) => round.tokens),
        gapP50: pick((round) => round.gapsMs.p50),
        gapP90: pick((round) => round.gapsMs.p90),
        gapP99: pick((round) => round.gapsMs.p99),
        gapMax: pick((round) => round.gapsMs.max),
        addedGapP50: added((round) => round.gapsMs.p50),
        addedGapP99: added((round) => round.gapsMs.p99),
        addedDurationMs: added((round) => round.durationMs),
        allIntact: rounds.every((round) => round[position]!.intact && round[position]!.done),
        errors: rounds.map((round) => round[position]!.error).filter((error) => error !== undefined),
      };
    });
    const direct = summaries[0]!;
    const chat = summaries[1]!;
    const problems = summaries
      .filter((summary) => !summary.allIntact)
      .map(
        (summary) =>
          `${summary.target}: the content did not arrive intact or [DONE] was missing. ${summary.errors.join('; ')}`,
      );

    if (options.kind === 'unpaced') {
      return {
        name: 'relayThroughput',
        title: `3a. Single-stream relay throughput (${formatNumber(expectedTokens, 0)} tokens, unpaced; medians of ${options.rounds} rounds)`,
        table: {
          headers: [
            'target',
            'tokens/s',
            'vs direct',
            'flowing tokens/s',
            'stream ms',
            'TTFT ms',
            'content deltas',
            'tokens',
            'intact',
          ],
          rows: summaries.map((summary) => [
            summary.target,
            formatNumber(summary.tokensPerSecond, 0),
            formatNumber(summary.tokensPerSecond / direct.tokensPerSecond) + '×',
            formatNumber(summary.flowingTokensPerSecond, 0),
            formatNumber(summary.durationMs, 0),
            formatNumber(summary.firstTokenMs),
            formatNumber(summary.contentDeltas, 0),
            formatNumber(summary.tokens, 0),
            summary.allIntact ? 'yes' : 'NO',
          ]),
        },
        notes: [
          'tokens/s = tokens received / (send → end of stream); "flowing" = tokens / (first → last content delta), without the scripted server\'s up-front work (it builds every event before the first write, hence the TTFT).',
          'The scripted server sends one token per delta; "content deltas" shows whether the relay regroups them (Plumb merges the content deltas of one network read, so it sends fewer, longer ones when the upstream writes faster than one event per read).',
          ...problems,
        ],
        targets: [
          checkTarget({
            name: 'relay throughput via Plumb (chat)',
            value: chat.tokensPerSecond,
            comparison: '>=',
            limit: 50_000,
            unit: 'tokens/s',
          }),
        ],
        data: { options: { ...options, expectedText: undefined, expectedTokens }, summaries, rounds },
      };
    }
    return {
      name: 'relayPaced',
      title: `3b. Paced stream, ${formatNumber(options.tokensPerSecond ?? NaN, 0)} tokens/s (${formatNumber(expectedTokens, 0)} tokens; gaps between content deltas; medians of ${options.rounds} rounds)`,
      table: {
        headers: [
          'target',
          'gap p50 ms',
          'gap p90 ms',
          'gap p99 ms',
          'gap max ms',
          'added p99',
          'deltas',
          'stream ms',
          'added end',
        ],
        rows: summaries.map((summary) => [
          summary.target,
          formatNumber(summary.gapP50, 3),
          formatNumber(summary.gapP90, 3),
          formatNumber(summary.gapP99, 3),
          formatNumber(summary.gapMax, 3),
          summary.target === 'direct' ? '' : formatSigned(summary.addedGapP99, 3),
          formatNumber(summary.contentDeltas, 0),
          formatNumber(summary.durationMs, 0),
          summary.target === 'direct' ? '' : formatSigned(summary.addedDurationMs, 1),
        ]),
      },
      notes: [
        'The scripted server writes the events due in each ~1 ms timer tick together, so many gaps are ~0 (same read) and the rest ~1 ms; a relay that batches or delays shows larger p99 gaps.',
        '"added end" = how much later the stream ended via Plumb than directly (ms).',
        ...problems,
      ],
      targets: [
        checkTarget({
          name: 'added inter-chunk gap p99 (paced, chat)',
          value: chat.addedGapP99,
          comparison: '<=',
          limit: 1,
          unit: 'ms',
        }),
      ],
      data: { options: { ...options, expectedText: undefined, expectedTokens }, summaries, rounds },
    };
  } finally {
    await Promise.all(targets.map((target) => target.pool.close()));
  }
}

function toRelayRound(target: string, timing: ChatStreamTiming, expectedText: string): RelayRound {
  const content = timing.content ?? '';
  const tokens = content.match(tokenPattern)?.length ?? 0;
  const arrivals = timing.arrivalsMs ?? [];
  const gaps: number[] = [];
  for (let index = 1; index < arrivals.length; index += 1) gaps.push(arrivals[index]! - arrivals[index - 1]!);
  return {
    target,
    durationMs: timing.totalMs,
    firstTokenMs: timing.firstTokenMs,
    contentDeltas: timing.contentDeltas,
    tokens,
    tokensPerSecond: tokens / (timing.totalMs / 1000),
    flowingTokensPerSecond:
      arrivals.length > 1 ? tokens / ((arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000) : NaN,
    // Whitespace at either end is not what a relay is judged on; everything in between must match exactly.
    intact: content === expectedText || content.trim() === expectedText.trim(),
    done: timing.done,
    ...(timing.error === undefined ? {} : { error: timing.error }),
    gapsMs: summarizeSamples(gaps),
  };
}
