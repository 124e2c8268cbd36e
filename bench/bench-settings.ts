import type { FirstTokenScenarioOptions } from './run-first-token-scenario.ts';
import type { LatencyScenarioOptions } from './run-latency-scenario.ts';
import type { MemoryScenarioOptions } from './run-memory-scenario.ts';
import type { UsageReportScenarioOptions } from './run-usage-report-scenario.ts';
import type { AuthScenarioOptions } from './run-auth-scenario.ts';

/** How long and how hard each scenario runs; `quick` (~1 minute) trades precision for time. */
export interface BenchSettings {
  latency: LatencyScenarioOptions;
  firstToken: FirstTokenScenarioOptions;
  relay: { tokens: number; rounds: number; warmupStreams: number; includeCodeMode: boolean };
  paced: { tokens: number; tokensPerSecond: number; rounds: number };
  memory: MemoryScenarioOptions & { tokensPerSecond: number };
  usageReport: UsageReportScenarioOptions;
  auth: AuthScenarioOptions;
}

/** The full run: about 3 minutes on a 2-core machine. */
export const fullSettings: BenchSettings = {
  latency: {
    concurrency: 64,
    warmupMs: 2000,
    rounds: 5,
    roundMs: 3000,
    sequentialRequests: 300,
    openLoopRequestsPerSecond: 500,
    openLoopRoundMs: 2000,
  },
  firstToken: { requests: 200, rounds: 4, warmupRequests: 20 },
  relay: { tokens: 200_000, rounds: 3, warmupStreams: 1, includeCodeMode: false },
  paced: { tokens: 6000, tokensPerSecond: 2000, rounds: 3 },
  memory: { streams: 1000, settleMs: 2000, samples: 5, tokensPerSecond: 0.2 },
  usageReport: { events: 1_000_000, rounds: 5 },
  auth: { concurrency: 64, rounds: 5, roundMs: 2000, warmupMs: 1000 },
};

/** `--quick`: about 1 minute; fewer and shorter rounds, same scenarios and the same 1,000 idle streams. */
export const quickSettings: BenchSettings = {
  latency: {
    concurrency: 64,
    warmupMs: 1000,
    rounds: 2,
    roundMs: 1500,
    sequentialRequests: 60,
    openLoopRequestsPerSecond: 500,
    openLoopRoundMs: 1000,
  },
  firstToken: { requests: 50, rounds: 2, warmupRequests: 5 },
  relay: { tokens: 50_000, rounds: 1, warmupStreams: 1, includeCodeMode: false },
  paced: { tokens: 3000, tokensPerSecond: 2000, rounds: 1 },
  memory: { streams: 1000, settleMs: 1000, samples: 3, tokensPerSecond: 0.2 },
  usageReport: { events: 200_000, rounds: 3 },
  auth: { concurrency: 64, rounds: 3, roundMs: 1000, warmupMs: 500 },
};

/**
 * The answer streamed to the idle streams: at 0.2 tokens/s, 60 tokens last 5 minutes, longer than the scenario.
 * Kept short on purpose: the scripted server builds every event of an answer up front, so its own memory per
 * stream grows with the answer's length and would swamp the baseline.
 */
export const idleStreamTokens = 60;

/** The answer of the latency and first-token scenarios: short, like a one-line reply. */
export const shortAnswer = 'Hello from the scripted model.';

/**
 * `count` pseudo-tokens (the scripted server counts a word with its trailing space as one token).
 *
 * @example
 * repeatedTokens(3); // 'token token token'
 */
export function repeatedTokens(count: number): string {
  return Array.from({ length: count }, () => 'token').join(' ');
}
