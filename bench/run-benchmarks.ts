// Entry file: `npm run bench [-- --quick] [-- --only latency,first-token,relay,paced,memory,auth,usage-report,test-vectors,security,dependencies,debugger,code-graph] [-- --profile-plumb]`.
// Starts the scripted model server and Plumb as child processes, measures direct (baseline) and via Plumb
// (subject) in the same run, prints tables and writes bench/results/<timestamp>.json. Exits 1 when a server
// fails to start or a scenario breaks; a missed target is reported, never an exit code.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  fullSettings,
  idleStreamTokens,
  quickSettings,
  repeatedTokens,
  shortAnswer,
} from './bench-settings.ts';
import { collectMachineInfo } from './collect-machine-info.ts';
import { formatTable } from './format-table.ts';
import { runDebuggerScenario } from './run-debugger-scenario.ts';
import { runFirstTokenScenario } from './run-first-token-scenario.ts';
import { runLatencyScenario } from './run-latency-scenario.ts';
import { runMemoryScenario } from './run-memory-scenario.ts';
import { runRelayScenario } from './run-relay-scenario.ts';
import { runSecurityScenario } from './run-security-scenario.ts';
import { runDependenciesScenario } from './run-dependencies-scenario.ts';
import { runCodeGraphScenario } from './run-code-graph-scenario.ts';
import { runTestVectorsScenario } from './run-test-vectors-scenario.ts';
import { runUsageReportScenario } from './run-usage-report-scenario.ts';
import { createBenchCredentials, runAuthScenario, type AuthCredentials } from './run-auth-scenario.ts';
import { formatNumber, type ScenarioReport, type TargetCheck } from './scenario-report.ts';
import { killAllChildServers, repositoryRoot } from './start-child-server.ts';
import { startServerPair, type ServerPair } from './start-server-pair.ts';
import { createTemporaryDirectory, removeTemporaryDirectories } from './temporary-directories.ts';

const scenarioNames = [
  'latency',
  'first-token',
  'relay',
  'paced',
  'memory',
  'auth',
  'usage-report',
  'test-vectors',
  'security',
  'dependencies',
  'debugger',
  'code-graph',
] as const;
type ScenarioName = (typeof scenarioNames)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'profile-plumb': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run bench -- [--quick] [--only ${scenarioNames.join(',')}] [--profile-plumb]`);
  process.exit(0);
}
const selected = new Set<ScenarioName>(
  values.only === undefined
    ? scenarioNames
    : (values.only.split(',').map((name) => name.trim()) as ScenarioName[]),
);
for (const name of selected) {
  if (!scenarioNames.includes(name)) {
    console.error(`Unknown scenario "${name}" in --only; choose from ${scenarioNames.join(', ')}.`);
    process.exit(2);
  }
}
const settings = values.quick ? quickSettings : fullSettings;
const resultsDirectory = join(repositoryRoot, 'bench', 'results');
const profileDirectory = join(resultsDirectory, 'profiles');

// Children must not outlive the bench, whatever ends it.
process.on('exit', () => {
  killAllChildServers();
  removeTemporaryDirectories();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the servers.`);
    killAllChildServers();
    process.exit(130);
  });
}

class ServerStartError extends Error {}

function progress(message: string): void {
  console.error(`· ${message}`);
}

async function withServers<T>(
  label: string,
  options: Parameters<typeof startServerPair>[0],
  use: (pair: ServerPair) => Promise<T>,
): Promise<T> {
  progress(`${label}: starting the scripted model server and Plumb`);
  let pair: ServerPair;
  try {
    pair = await startServerPair(options);
  } catch (error) {
    throw new ServerStartError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  try {
    return await use(pair);
  } finally {
    // With --cpu-prof the profile is written on a clean exit, so give the graceful shutdown time to finish.
    const exits = await pair.stop(values['profile-plumb'] ? 15_000 : 3000);
    if (exits.plumb.forced || exits.plumb.code !== 0) {
      progress(`${label}: Plumb did not exit cleanly on SIGTERM (${JSON.stringify(exits.plumb)})`);
    }
  }
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const machine = collectMachineInfo();
  console.log(
    `Plumb bench${values.quick ? ' (quick)' : ''}: ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.nodeVersion}, load average ${machine.loadAverageAtStart.join(' / ')}`,
  );
  const reports: ScenarioReport[] = [];
  const scenarioErrors: Array<{ scenario: string; message: string }> = [];
  const plumbNodeArguments = values['profile-plumb']
    ? ['--cpu-prof', '--cpu-prof-dir', profileDirectory]
    : [];
  const temporaryDirectory = createTemporaryDirectory('plumb-bench-text-');

  const run = async (scenario: string, body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      if (error instanceof ServerStartError) throw error;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      scenarioErrors.push({ scenario, message });
      console.error(`✗ ${scenario} failed: ${message}`);
    }
  };

  try {
    if (selected.has('latency') || selected.has('first-token')) {
      await run('latency and first token', () =>
        withServers(
          'latency',
          { scriptedArguments: ['--text', shortAnswer], plumbNodeArguments },
          async (pair) => {
            if (selected.has('latency')) {
              progress(
                `latency: ${settings.latency.rounds} rounds × 3 targets × ${settings.latency.roundMs / 1000} s at ${settings.latency.concurrency} concurrent, then concurrency 1`,
              );
              reports.push(await runLatencyScenario(pair, settings.latency));
            }
            if (selected.has('first-token')) {
              progress(`first token: ${settings.firstToken.requests} sequential streams per target`);
              reports.push(await runFirstTokenScenario(pair, settings.firstToken));
            }
          },
        ),
      );
    }
    if (selected.has('relay')) {
      const text = repeatedTokens(settings.relay.tokens);
      const textFile = join(temporaryDirectory, 'relay-text.txt');
      await writeFile(textFile, text);
      await run('relay', () =>
        withServers(
          'relay',
          {
            scriptedScript: 'bench/scripted-model-server-with-text-file.ts',
            scriptedArguments: ['--text-file', textFile],
            plumbNodeArguments,
          },
          async (pair) => {
            progress(
              `relay: ${settings.relay.rounds} rounds of one ${formatNumber(settings.relay.tokens, 0)}-token stream per target`,
            );
            reports.push(
              await runRelayScenario(pair, { kind: 'unpaced', expectedText: text, ...settings.relay }),
            );
          },
        ),
      );
    }
    if (selected.has('paced')) {
      const text = repeatedTokens(settings.paced.tokens);
      await run('paced', () =>
        withServers(
          'paced',
          {
            scriptedArguments: [
              '--text',
              text,
              '--tokens-per-second',
              String(settings.paced.tokensPerSecond),
            ],
            plumbNodeArguments,
          },
          async (pair) => {
            progress(
              `paced: ${settings.paced.rounds} rounds of a ${settings.paced.tokens / settings.paced.tokensPerSecond} s stream per target`,
            );
            reports.push(
              await runRelayScenario(pair, {
                kind: 'paced',
                expectedText: text,
                tokensPerSecond: settings.paced.tokensPerSecond,
                rounds: settings.paced.rounds,
                warmupStreams: 0,
                includeCodeMode: false,
              }),
            );
          },
        ),
      );
    }
    if (selected.has('memory')) {
      await run('memory', () =>
        withServers(
          'memory',
          {
            scriptedArguments: [
              '--text',
              repeatedTokens(idleStreamTokens),
              '--tokens-per-second',
              String(settings.memory.tokensPerSecond),
            ],
            plumbNodeArguments,
          },
          async (pair) => {
            progress(`memory: ${settings.memory.streams} idle streams through Plumb`);
            reports.push(await runMemoryScenario(pair, settings.memory));
          },
        ),
      );
    }
    if (selected.has('auth')) {
      await run('auth', () =>
        withServers(
          'auth (no auth)',
          { scriptedArguments: ['--text', shortAnswer], plumbNodeArguments },
          async (open) =>
            withServers(
              'auth (no auth, control)',
              { scriptedArguments: ['--text', shortAnswer], plumbNodeArguments },
              async (control) => {
                let credentials: AuthCredentials | undefined;
                return withServers(
                  'auth (auth on)',
                  {
                    scriptedArguments: ['--text', shortAnswer],
                    plumbNodeArguments,
                    auth: true,
                    prepareDataDirectory: async (dataDirectory) => {
                      credentials = createBenchCredentials(dataDirectory);
                    },
                  },
                  async (authed) => {
                    progress(
                      `auth: ${settings.auth.rounds} rounds × 4 targets at ${settings.auth.concurrency} concurrent, then 1`,
                    );
                    reports.push(
                      await runAuthScenario(
                        { open, control, authed, credentials: credentials! },
                        settings.auth,
                      ),
                    );
                  },
                );
              },
            ),
        ),
      );
    }
    if (selected.has('usage-report')) {
      await run('usage report', async () => {
        progress(
          `usage report: ${settings.usageReport.events.toLocaleString('en-US')} events into SQLite, then ${settings.usageReport.rounds} timed reports`,
        );
        reports.push(await runUsageReportScenario(settings.usageReport));
      });
    }
    if (selected.has('test-vectors')) {
      await run('test vectors', async () => {
        const stride = values.quick ? 4 : 1;
        progress(
          `test vectors: the seeded-bug corpus${stride > 1 ? ` (every ${stride}th pair)` : ''}, engine and peers`,
        );
        reports.push(await runTestVectorsScenario({ stride, seed: 1 }));
      });
    }
    if (selected.has('dependencies')) {
      await run('dependencies', async () => {
        const packages = values.quick ? 300 : 1500;
        progress(
          `dependencies: the names list, a ${packages}-package lockfile cold and warm, npm-check-updates`,
        );
        reports.push(await runDependenciesScenario({ packages }));
      });
    }
    if (selected.has('security')) {
      await run('security', async () => {
        const lines = values.quick ? 20_000 : 80_000;
        progress(
          `security: the labeled corpus with Plumb and its peers, then a ${lines.toLocaleString('en')}-line project of real code for speed`,
        );
        reports.push(await runSecurityScenario({ lines, rounds: values.quick ? 5 : 20 }));
      });
    }
    if (selected.has('debugger')) {
      await run('debugger', async () => {
        const debuggerSettings = values.quick
          ? { steps: 50, launches: 3, liveSessionsPerLanguage: 5, bodyLines: 200 }
          : { steps: 200, launches: 10, liveSessionsPerLanguage: 25, bodyLines: 200 };
        progress(
          `debugger: ${debuggerSettings.steps} steps per transport and language, ${debuggerSettings.launches} launches, ${2 * debuggerSettings.liveSessionsPerLanguage} live sessions`,
        );
        reports.push(await runDebuggerScenario(debuggerSettings));
      });
    }
    if (selected.has('code-graph')) {
      await run('code graph', async () => {
        const syntheticFiles = values.quick ? 2000 : 10_000;
        progress(
          `code graph: a ${syntheticFiles.toLocaleString('en-US')}-file synthetic TypeScript tree and packages/, Plumb (memory and SQLite stores) and universal-ctags`,
        );
        reports.push(
          await runCodeGraphScenario({
            syntheticFiles,
            seed: 1,
            ctagsRounds: 3,
            touches: 3,
            explains: 20,
            progress,
          }),
        );
      });
    }
  } catch (error) {
    if (!(error instanceof ServerStartError)) throw error;
    console.error(`✗ A server failed to start: ${error.message}`);
    return 1;
  } finally {
    removeTemporaryDirectories(temporaryDirectory);
  }

  for (const report of reports) {
    console.log(`\n${report.title}\n`);
    console.log(formatTable(report.table.headers, report.table.rows));
    for (const note of report.notes) console.log(`  ${note}`);
  }
  const targets = reports.flatMap((report) => report.targets);
  console.log('\nTargets\n');
  console.log(
    formatTable(
      ['target', 'measured', 'limit', 'result'],
      targets.map((target) => [
        target.name,
        formatTarget(target, target.value),
        `${target.comparison} ${formatTarget(target, target.limit)}`,
        target.passed ? 'pass' : 'FAIL',
      ]),
    ),
  );

  const finishedAt = new Date();
  await mkdir(resultsDirectory, { recursive: true });
  const resultsFile = join(resultsDirectory, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    quick: values.quick,
    scenarios: [...selected],
    machine,
    settings,
    targets,
    scenarioErrors,
    reports: Object.fromEntries(
      reports.map((report) => [
        report.name,
        { title: report.title, table: report.table, notes: report.notes, data: report.data },
      ]),
    ),
  };
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  const passed = targets.filter((target) => target.passed).length;
  console.log(
    `\n${passed}/${targets.length} targets met in ${formatNumber(results.durationSeconds, 0)} s. Results: ${resultsFile}`,
  );
  if (values['profile-plumb']) console.log(`CPU profiles of Plumb: ${profileDirectory}`);
  if (scenarioErrors.length > 0) {
    console.error(
      `✗ ${scenarioErrors.length} scenario(s) failed: ${scenarioErrors.map((entry) => entry.scenario).join(', ')}`,
    );
    return 1;
  }
  return 0;
}

function formatTarget(target: TargetCheck, value: number): string {
  const decimals = target.unit === 'tokens/s' || target.unit === 'streams' || target.unit === '' ? 0 : 2;
  return `${formatNumber(value, decimals)}${target.unit ? ` ${target.unit}` : ''}`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    killAllChildServers();
    process.exit(1);
  },
);
