import { request } from 'undici';
import { createChatTarget } from './chat-target.ts';
import { openIdleStreams } from './open-idle-streams.ts';
import { readProcessMemory } from './read-process-memory.ts';
import { checkTarget, formatNumber, type ScenarioReport } from './scenario-report.ts';
import type { ServerPair } from './start-server-pair.ts';
import { median } from './summarize-samples.ts';

export interface MemoryScenarioOptions {
  streams: number;
  /** Wait after the last stream opened before sampling, so lazily allocated buffers are counted. */
  settleMs: number;
  samples: number;
}

/**
 * Scenario 4: memory held per open stream. The scripted server trickles tokens (e.g. 0.2/s), so streams stay
 * open after their headers. VmRSS of the Plumb and scripted-server processes is read (median of a few samples)
 * before and while `streams` streams are open through Plumb; the scripted server's growth for the same
 * streams is the baseline of what a plain Node HTTP server pays. Then every stream is closed and `/healthz`
 * must still answer 200.
 *
 * @example
 * const report = await runMemoryScenario(pair, { streams: 1000, settleMs: 2000, samples: 5 });
 */
export async function runMemoryScenario(
  pair: ServerPair,
  options: MemoryScenarioOptions,
): Promise<ScenarioReport> {
  const target = createChatTarget({
    label: 'via Plumb (chat)',
    url: pair.plumbUrl,
    connections: options.streams + 10,
  });
  try {
    // Load the stream code path once so "before" does not count code loading and JIT as per-stream memory.
    const warm = await openIdleStreams({ target, count: 20 });
    await sleep(300);
    warm.close();
    await sleep(1000);

    const before = await sampleMemory(pair, options.samples);
    const streams = await openIdleStreams({ target, count: options.streams });
    await sleep(options.settleMs);
    const during = await sampleMemory(pair, options.samples);
    const endedWhileHeld = streams.ended();
    streams.close();
    await sleep(1500);
    const after = await sampleMemory(pair, 1);
    const health = await checkHealth(pair.plumbOrigin);

    const opened = Math.max(1, streams.opened);
    const plumbGrowth = during.plumb - before.plumb;
    const scriptedGrowth = during.scripted - before.scripted;
    const rows = [
      ['Plumb', before.plumb, during.plumb, after.plumb, plumbGrowth],
      ['scripted server (baseline)', before.scripted, during.scripted, after.scripted, scriptedGrowth],
    ] as const;
    return {
      name: 'memory',
      title: `4. Memory with ${formatNumber(streams.opened, 0)} idle streams open through Plumb (VmRSS, median of ${options.samples} samples)`,
      table: {
        headers: ['process', 'before MiB', 'during MiB', 'after close MiB', 'growth MiB', 'per stream KiB'],
        rows: rows.map(([name, beforeKib, duringKib, afterKib, growthKib]) => [
          name,
          formatNumber(beforeKib / 1024, 1),
          formatNumber(duringKib / 1024, 1),
          formatNumber(afterKib / 1024, 1),
          formatNumber(growthKib / 1024, 1),
          formatNumber(growthKib / opened, 1),
        ]),
      },
      notes: [
        `Opened ${streams.opened} of ${options.streams} streams in ${formatNumber(streams.openMs, 0)} ms (${streams.failed} failed${streams.firstError ? `: ${streams.firstError}` : ''}); ${endedWhileHeld} ended while held.`,
        scriptedGrowth > 1024
          ? `Plumb's growth is ${formatNumber(plumbGrowth / scriptedGrowth)}× the scripted server's for the same streams. Plumb holds two sockets per stream (client and upstream); RSS includes garbage not yet collected.`
          : 'The scripted server grew by less than 1 MiB, too little for a ratio. RSS includes garbage not yet collected.',
        `After closing them all, GET /healthz answered ${health.status}${health.ok ? '' : ` (${health.detail})`}.`,
      ],
      targets: [
        checkTarget({
          name: 'all idle streams opened',
          value: streams.opened,
          comparison: '>=',
          limit: options.streams,
          unit: 'streams',
        }),
        checkTarget({
          name: 'Plumb answers /healthz after closing them',
          value: health.ok ? 1 : 0,
          comparison: '>=',
          limit: 1,
          unit: '',
        }),
      ],
      data: {
        options,
        pids: { plumb: pair.plumb.pid, scripted: pair.scripted.pid },
        residentKibibytes: { before, during, after },
        growthKibibytes: { plumb: plumbGrowth, scripted: scriptedGrowth },
        perStreamKibibytes: { plumb: plumbGrowth / opened, scripted: scriptedGrowth / opened },
        streams: {
          requested: options.streams,
          opened: streams.opened,
          failed: streams.failed,
          firstError: streams.firstError,
          openMs: streams.openMs,
          endedWhileHeld,
        },
        health,
      },
    };
  } finally {
    await target.pool.destroy();
  }
}

async function sampleMemory(pair: ServerPair, samples: number) {
  const plumb: number[] = [];
  const scripted: number[] = [];
  const descendants: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    if (index > 0) await sleep(300);
    const plumbMemory = await readProcessMemory(pair.plumb.pid);
    plumb.push(plumbMemory.residentKibibytes);
    descendants.push(plumbMemory.descendantsResidentKibibytes);
    scripted.push((await readProcessMemory(pair.scripted.pid)).residentKibibytes);
  }
  return {
    plumb: median(plumb),
    scripted: median(scripted),
    plumbDescendants: median(descendants),
    plumbSamples: plumb,
    scriptedSamples: scripted,
  };
}

async function checkHealth(origin: string): Promise<{ ok: boolean; status: number; detail?: string }> {
  try {
    const response = await request(`${origin}/healthz`, { headersTimeout: 5000, bodyTimeout: 5000 });
    const text = await response.body.text();
    return {
      ok: response.statusCode === 200,
      status: response.statusCode,
      ...(response.statusCode === 200 ? {} : { detail: text.slice(0, 200) }),
    };
  } catch (error) {
    return { ok: false, status: 0, detail: error instanceof Error ? error.message : String(error) };
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
