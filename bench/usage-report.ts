// Standalone entry for the usage-report bench: `node --import tsx bench/usage-report.ts [--events N] [--rounds N]`.
// Runs the same scenario as `npm run bench -- --only usage-report` (bench/run-usage-report-scenario.ts: a
// temporary SQLite ledger of 1,000,000 events, the month report with bucket=1d group_by=model, median of 5,
// and the same queries with the ledger's indexes dropped as the baseline), without starting any server.
// Prints the table and writes bench/results/usage-report-<timestamp>.json. A missed target is reported,
// never an exit code; exit 1 only when the scenario breaks.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { collectMachineInfo } from './collect-machine-info.ts';
import { formatTable } from './format-table.ts';
import { runUsageReportScenario } from './run-usage-report-scenario.ts';
import { formatNumber } from './scenario-report.ts';
import { repositoryRoot } from './start-child-server.ts';
import { removeTemporaryDirectories } from './temporary-directories.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '5' },
  },
});

async function main(): Promise<number> {
  const events = Number(values.events);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(events) || events < 1 || !Number.isInteger(rounds) || rounds < 1) {
    console.error('--events and --rounds must be whole numbers of at least 1.');
    return 2;
  }
  const machine = collectMachineInfo();
  const startedAt = new Date();
  console.error(
    `usage report: inserting ${formatNumber(events, 0)} events into a temporary SQLite ledger...`,
  );
  const report = await runUsageReportScenario({ events, rounds });

  console.log(`\n${report.title}\n`);
  console.log(formatTable(report.table.headers, report.table.rows));
  for (const note of report.notes) console.log(`  ${note}`);
  for (const target of report.targets) {
    console.log(
      `  ${target.passed ? 'pass' : 'FAIL'}  ${target.name}: ${formatNumber(target.value)} ${target.unit} (target ${target.comparison} ${target.limit} ${target.unit})`,
    );
  }

  const resultsDirectory = join(repositoryRoot, 'bench', 'results');
  await mkdir(resultsDirectory, { recursive: true });
  const resultsFile = join(
    resultsDirectory,
    `usage-report-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`,
  );
  const results = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    settings: { events, rounds },
    reports: [report],
  };
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nResults: ${resultsFile}`);
  return 0;
}

process.on('exit', () => removeTemporaryDirectories());
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
