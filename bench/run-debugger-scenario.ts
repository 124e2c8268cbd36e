// Debugger: the step round trip (step over -> snapshot) at the engine and over HTTP, in the same run as a raw
// CDP client on `node --inspect-brk` and a raw DAP client on debugpy stepping the same programs; launch or
// create to the first stop; and many paused sessions held by one server, with their memory.
import { performance } from 'node:perf_hooks';
import { createTemporaryDirectory, removeTemporaryDirectories } from './temporary-directories.ts';
import { DebugHttpClient } from './debugger/debug-http-client.ts';
import { measureCdpSteps, type PeerTimings } from './debugger/measure-cdp-steps.ts';
import { debugpyVersion, measureDebugpySteps } from './debugger/measure-debugpy-steps.ts';
import { measureEngineSteps } from './debugger/measure-engine-steps.ts';
import { measureHttpSteps } from './debugger/measure-http-steps.ts';
import { measureLiveSessions, type LiveSessionsResult } from './debugger/measure-live-sessions.ts';
import { startDebugServer } from './debugger/start-debug-server.ts';
import { writeSteppingPrograms } from './debugger/write-stepping-programs.ts';
import { checkTarget, formatNumber, type ScenarioReport } from './scenario-report.ts';
import { summarizeSamples, type SampleSummary } from './summarize-samples.ts';

export interface DebuggerScenarioOptions {
  /** Step commands per transport and language. */
  steps: number;
  /** Launches (engine, peers) and creates (HTTP) timed to the first stop, per language. */
  launches: number;
  /** Live paused sessions per language held at once. */
  liveSessionsPerLanguage: number;
  /** Statements in the loop body of the stepping programs. */
  bodyLines: number;
}

const python = process.env.PLUMB_PYTHON ?? '/usr/bin/python3';
const languages = ['javascript', 'python'] as const;
type Language = (typeof languages)[number];
type Transport = 'engine' | 'engine-debugpy' | 'http' | 'peer';

interface Measured {
  transport: Transport;
  language: Language;
  label: string;
  steps: SampleSummary;
  firstStops: SampleSummary;
  acknowledgements?: SampleSummary;
  seconds: number;
}

function summarize(
  transport: Transport,
  language: Language,
  label: string,
  timings: PeerTimings,
  seconds: number,
): Measured {
  return {
    transport,
    language,
    label,
    steps: summarizeSamples(timings.steps),
    firstStops: summarizeSamples(timings.firstStops),
    ...(timings.acknowledgements ? { acknowledgements: summarizeSamples(timings.acknowledgements) } : {}),
    seconds,
  };
}

async function timed<T>(body: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await body();
  return { value, seconds: (performance.now() - started) / 1000 };
}

function progress(message: string): void {
  console.error(`  ${message}`);
}

/**
 * Runs every debugger measurement on the same two programs (JavaScript and Python, a loop of `bodyLines`
 * straight-line statements) and reports one table (transport x language, p50/p99 and the ratio to the raw
 * peer) with the targets of issue 5.
 *
 * @example const report = await runDebuggerScenario({ steps: 200, launches: 10, liveSessionsPerLanguage: 25, bodyLines: 200 });
 */
export async function runDebuggerScenario(options: DebuggerScenarioOptions): Promise<ScenarioReport> {
  const directory = createTemporaryDirectory('plumb-bench-debugger-');
  try {
    const programs = writeSteppingPrograms(directory, options.bodyLines);
    const measured: Measured[] = [];
    const notes: string[] = [];

    for (const language of languages) {
      progress(`engine (${language}): ${options.launches} launches, ${options.steps} steps`);
      const { value, seconds } = await timed(() =>
        measureEngineSteps({
          language,
          program: programs[language].file,
          steps: options.steps,
          launches: options.launches,
          python,
        }),
      );
      measured.push(summarize('engine', language, 'Plumb engine', value, seconds));
    }

    progress(`raw CDP (node --inspect-brk): ${options.launches} launches, ${options.steps} steps`);
    const cdp = await timed(() =>
      measureCdpSteps({
        program: programs.javascript.file,
        steps: options.steps,
        launches: options.launches,
      }),
    );
    measured.push(summarize('peer', 'javascript', 'raw CDP (WebSocket)', cdp.value, cdp.seconds));

    const debugpy = await debugpyVersion(python);
    if (debugpy === undefined) {
      notes.push(`debugpy is not importable by ${python}: the raw debugpy peer was skipped.`);
    } else {
      progress(`raw debugpy ${debugpy}: ${options.launches} launches, ${options.steps} steps`);
      const dap = await timed(() =>
        measureDebugpySteps({
          python,
          program: programs.python.file,
          steps: options.steps,
          launches: options.launches,
        }),
      );
      measured.push(summarize('peer', 'python', 'raw debugpy (DAP/TCP)', dap.value, dap.seconds));
      progress(`engine (python, debugpy backend): ${options.launches} launches, ${options.steps} steps`);
      const throughDebugpy = await timed(() =>
        measureEngineSteps({
          language: 'python',
          program: programs.python.file,
          steps: options.steps,
          launches: options.launches,
          python,
          pythonBackend: 'debugpy',
        }),
      );
      measured.push(
        summarize(
          'engine-debugpy',
          'python',
          'Plumb engine (debugpy)',
          throughDebugpy.value,
          throughDebugpy.seconds,
        ),
      );
      notes.push(`debugpy ${debugpy} (${python} -m debugpy --listen, PYDEVD_DISABLE_FILE_VALIDATION=1).`);
    }

    const liveTotal = options.liveSessionsPerLanguage * languages.length;
    progress(`starting Plumb (room for ${Math.max(100, liveTotal)} debug sessions)`);
    const plumb = await startDebugServer({ maximumSessions: Math.max(100, liveTotal), python });
    const connections = [new DebugHttpClient(plumb.origin), new DebugHttpClient(plumb.origin)];
    let live: LiveSessionsResult;
    try {
      for (const language of languages) {
        progress(`HTTP (${language}): ${options.launches} creates, ${options.steps} steps`);
        const { value, seconds } = await timed(() =>
          measureHttpSteps(connections[0]!, programs[language], {
            steps: options.steps,
            creates: options.launches,
          }),
        );
        measured.push(summarize('http', language, 'Plumb over HTTP', value, seconds));
      }
      progress(`live sessions: ${options.liveSessionsPerLanguage} per language, held at once`);
      live = await measureLiveSessions(
        connections,
        plumb.server.pid,
        [programs.javascript, programs.python],
        {
          perLanguage: options.liveSessionsPerLanguage,
        },
      );
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
      await plumb.stop();
    }

    return buildReport(options, measured, live, notes);
  } finally {
    removeTemporaryDirectories(directory);
  }
}

function buildReport(
  options: DebuggerScenarioOptions,
  measured: Measured[],
  live: LiveSessionsResult,
  notes: string[],
): ScenarioReport {
  const find = (transport: Transport, language: Language) =>
    measured.find((entry) => entry.transport === transport && entry.language === language);
  const ratio = (value: number, peer: number | undefined) =>
    peer === undefined || !Number.isFinite(peer) || peer <= 0 ? 'n/a' : `${formatNumber(value / peer, 2)}×`;
  const rows: string[][] = [];
  for (const language of languages) {
    const peer = find('peer', language);
    for (const transport of ['engine', 'engine-debugpy', 'http', 'peer'] as const) {
      const entry = find(transport, language);
      if (!entry) continue;
      rows.push([
        entry.label,
        language,
        String(entry.steps.count),
        formatNumber(entry.steps.p50, 2),
        formatNumber(entry.steps.p99, 2),
        transport === 'peer' ? '1.00×' : ratio(entry.steps.p50, peer?.steps.p50),
        transport === 'peer' ? '1.00×' : ratio(entry.steps.p99, peer?.steps.p99),
        formatNumber(entry.firstStops.p50, 0),
        transport === 'peer' ? '1.00×' : ratio(entry.firstStops.p50, peer?.firstStops.p50),
      ]);
    }
  }

  const debuggeeKibibytes =
    live.serverWhileHeld.descendantsResidentKibibytes - live.serverBefore.descendantsResidentKibibytes;
  const serverGrowthKibibytes = live.serverWhileHeld.residentKibibytes - live.serverBefore.residentKibibytes;
  const perSessionMebibytes =
    live.created === 0 ? NaN : (debuggeeKibibytes + serverGrowthKibibytes) / 1024 / live.created;
  const mebibytes = (kibibytes: number) => `${formatNumber(kibibytes / 1024, 1)} MiB`;
  const perLanguage = languages.map((language) => {
    const trees = live.debuggees.filter((tree) => tree.language === language);
    const kibibytes = trees.reduce((sum, tree) => sum + tree.residentKibibytes, 0);
    const processes = trees.reduce((sum, tree) => sum + tree.pids.length, 0);
    return trees.length === 0
      ? `${language}: no debuggee found`
      : `${language} ${mebibytes(kibibytes / trees.length)} in ${formatNumber(processes / trees.length, 1)} processes per session (${trees.length} sessions)`;
  });
  const cdp = find('peer', 'javascript');
  const dap = find('peer', 'python');
  notes.push(
    `Steps: ${options.steps} step-over commands per row on a loop of ${options.bodyLines} straight-line statements (main.js, main.py in a temp dir); ms from sending the command until the stop is known: the engine's snapshot (location, locals, stack, source, output), the HTTP answer read and parsed (one keep-alive connection), the raw peer's stop event (no stack/scope/variable requests).`,
    `First stop: engine = launch until stopped at a breakpoint on line 2 (fresh backend each); HTTP = POST /v3/debug/sessions with that breakpoint until its answer; CDP = spawn of node --inspect-brk until the first Debugger.paused; debugpy = spawn until stopped at a line-1 breakpoint. p50 of ${options.launches} each.`,
    ...(cdp?.acknowledgements
      ? [
          `Raw CDP: the Debugger.stepOver response comes after p50 ${formatNumber(cdp.acknowledgements.p50, 2)} ms, Debugger.paused after p50 ${formatNumber(cdp.steps.p50, 2)} ms.`,
          ...(cdp.steps.p50 - cdp.acknowledgements.p50 > 30
            ? [
                "The gap is about the 40 ms of a Linux delayed ACK: the inspector writes the response and the paused event as separate small TCP segments without TCP_NODELAY, so the second waits for the client's ACK (sending any message right after the response releases it early). The V8 step itself is fast (the engine row runs the same Debugger.stepOver through an in-process relay on a Unix socket); the peer row is what a WebSocket CDP client gets from `node --inspect`.",
              ]
            : []),
        ]
      : []),
    ...(dap?.acknowledgements
      ? [
          `Raw debugpy: the next response comes after p50 ${formatNumber(dap.acknowledgements.p50, 2)} ms, stopped after p50 ${formatNumber(dap.steps.p50, 2)} ms.`,
        ]
      : []),
    `Live sessions: ${live.created}/${live.requested} created (stop on entry, half JavaScript, half Python, 2 connections) in ${formatNumber(live.createSeconds, 1)} s, ${live.answeredStep} answered a step while all were held; ${live.debuggeeProcesses} debuggee processes (sandbox + interpreter) summed ${mebibytes(debuggeeKibibytes)} VmRSS; Plumb ${mebibytes(live.serverBefore.residentKibibytes)} before, ${mebibytes(live.serverWhileHeld.residentKibibytes)} while held, ${mebibytes(live.serverAfterDelete.residentKibibytes)} after deleting them; ${formatNumber(perSessionMebibytes, 1)} MiB per session (debuggees + server growth).`,
    `Debuggee VmRSS per session (the process tree under each direct child of Plumb): ${perLanguage.join('; ')}.`,
    live.leftoverProcesses.length === 0
      ? 'After deleting every session no debuggee process was left.'
      : `After deleting every session ${live.leftoverProcesses.length} descendant process(es) of Plumb were still alive after 5 s: ${live.leftoverProcesses.join(', ')}.`,
    ...live.failures.slice(0, 10).map((failure) => `live session failure: ${failure}`),
  );

  const p50Of = (transport: Transport, language: Language) => find(transport, language)?.steps.p50 ?? NaN;
  const firstStopOf = (language: Language) => find('http', language)?.firstStops.p50 ?? NaN;
  return {
    name: 'debugger',
    title: `Debugger step round trip, first stop and live sessions (${options.steps} steps, ${options.launches} launches, ${live.requested} live sessions)`,
    table: {
      headers: [
        'transport',
        'language',
        'steps',
        'step p50 ms',
        'step p99 ms',
        'p50 / peer',
        'p99 / peer',
        'first stop p50 ms',
        'first stop / peer',
      ],
      rows,
    },
    notes,
    targets: [
      checkTarget({
        name: 'engine step p50 (JavaScript)',
        value: p50Of('engine', 'javascript'),
        comparison: '<=',
        limit: 3,
        unit: 'ms',
      }),
      checkTarget({
        name: 'engine step p50 (Python)',
        value: p50Of('engine', 'python'),
        comparison: '<=',
        limit: 1,
        unit: 'ms',
      }),
      checkTarget({
        name: 'HTTP step p50 (JavaScript)',
        value: p50Of('http', 'javascript'),
        comparison: '<=',
        limit: 5,
        unit: 'ms',
      }),
      checkTarget({
        name: 'HTTP step p50 (Python)',
        value: p50Of('http', 'python'),
        comparison: '<=',
        limit: 5,
        unit: 'ms',
      }),
      checkTarget({
        name: 'session create to first stop p50 (JavaScript)',
        value: firstStopOf('javascript'),
        comparison: '<=',
        limit: 300,
        unit: 'ms',
      }),
      checkTarget({
        name: 'session create to first stop p50 (Python)',
        value: firstStopOf('python'),
        comparison: '<=',
        limit: 300,
        unit: 'ms',
      }),
      checkTarget({
        name: 'live paused sessions answering a step',
        value: live.answeredStep,
        comparison: '>=',
        limit: 50,
        unit: '',
      }),
      checkTarget({
        name: 'debuggee processes left after delete',
        value: live.leftoverProcesses.length,
        comparison: '<=',
        limit: 0,
        unit: '',
      }),
    ],
    data: { options, python, measured, live, perSessionMebibytes, debuggeeKibibytes, serverGrowthKibibytes },
  };
}
