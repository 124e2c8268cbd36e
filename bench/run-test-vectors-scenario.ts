// Test-vector engine against its corpus (packages/engines/fixtures/test-vectors): seeded bugs exposed
// without a reference, false findings on the correct twins, bugs exposed in differential mode, time per
// function and vectors per second. Peers in the same run: plain fast-check with type-derived arbitraries
// (TypeScript) and Hypothesis's ghostwriter (Python, when /usr/bin/python3 has hypothesis), as bugs exposed
// per minute and false alarms.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { emitPytest, emitVitest, generateTestVectors, type TestVectorResult } from '@plumb/engines';
import { checkTarget, formatNumber, type ScenarioReport } from './scenario-report.ts';
import { median } from './summarize-samples.ts';
import { repositoryRoot } from './start-child-server.ts';

export interface TestVectorsScenarioOptions {
  /** Use every n-th corpus entry (1 = all). */
  stride: number;
  seed: number;
}

interface CorpusEntry {
  id: string;
  language: 'typescript' | 'python';
  directory: string;
  function: string;
  bugClass: string;
  expectedFinding: string;
  description: string;
}

interface EntryResult {
  id: string;
  language: string;
  bugClass: string;
  expectedFinding: string;
  exposed: boolean;
  exposedAsExpected: boolean;
  findingKinds: string[];
  falseFindings: string[];
  differentialExposed: boolean;
  engineSeconds: number;
  vectors: number;
  peer?: { exposed: boolean; falseAlarm: boolean; seconds: number; note?: string };
}

const corpusDirectory = path.join(repositoryRoot, 'packages/engines/fixtures/test-vectors');
const python = process.env.PLUMB_PYTHON ?? '/usr/bin/python3';
const run = promisify(execFile);

function kindsOf(result: TestVectorResult): string[] {
  return [...new Set(result.findings.map((finding) => finding.kind))].sort();
}

/**
 * Runs the engine on every corpus pair (buggy alone, correct alone, buggy against correct) and the peers on
 * the same files.
 *
 * @example const report = await runTestVectorsScenario({ stride: 1, seed: 1 });
 */
export async function runTestVectorsScenario(options: TestVectorsScenarioOptions): Promise<ScenarioReport> {
  const manifest = JSON.parse(
    readFileSync(path.join(corpusDirectory, 'manifest.json'), 'utf8'),
  ) as CorpusEntry[];
  const entries = manifest.filter((_, index) => index % options.stride === 0);
  const hypothesisAvailable = await run(python, [
    '-c',
    'import hypothesis.extra.ghostwriter, hypothesis.extra.cli, pytest',
  ])
    .then(() => true)
    .catch(() => false);
  const results: EntryResult[] = [];
  const emitRoot = mkdtempSync(path.join(tmpdir(), 'plumb-bench-emitted-'));
  const emitted = { typescript: 0, python: 0 };
  for (const entry of entries) {
    const extension = entry.language === 'python' ? '.py' : '.ts';
    const buggy = path.join(corpusDirectory, entry.directory, `buggy${extension}`);
    const correct = path.join(corpusDirectory, entry.directory, `correct${extension}`);
    const common = { functions: [entry.function], seed: options.seed, pythonPath: python };
    const started = performance.now();
    const onBuggy = await generateTestVectors({ file: buggy, ...common });
    const engineSeconds = (performance.now() - started) / 1000;
    const onCorrect = await generateTestVectors({ file: correct, ...common });
    // Acceptance: the suites emitted for both twins run green as emitted (findings are expected failures).
    for (const [variant, result] of [
      ['buggy', onBuggy],
      ['correct', onCorrect],
    ] as const) {
      const emitDirectory = path.join(emitRoot, entry.language, `${entry.id}-${variant}`);
      const files =
        entry.language === 'python'
          ? emitPytest(result, { emitDirectory })
          : emitVitest(result, { emitDirectory });
      for (const file of files) {
        mkdirSync(path.dirname(file.path), { recursive: true });
        writeFileSync(file.path, file.contents);
      }
      emitted[entry.language] += 1;
    }
    const differential = await generateTestVectors({
      file: buggy,
      referenceFile: correct,
      ...common,
      propertyRuns: 0,
    });
    const kinds = kindsOf(onBuggy);
    const result: EntryResult = {
      id: entry.id,
      language: entry.language,
      bugClass: entry.bugClass,
      expectedFinding: entry.expectedFinding,
      exposed: kinds.length > 0,
      exposedAsExpected: kinds.includes(entry.expectedFinding),
      findingKinds: kinds,
      falseFindings: kindsOf(onCorrect),
      differentialExposed: differential.findings.some((finding) => finding.kind === 'divergence'),
      engineSeconds,
      vectors: onBuggy.functions.reduce((sum, report) => sum + report.counts.vectors, 0),
    };
    if (entry.language === 'typescript')
      result.peer = await runPlainFastCheck(buggy, correct, entry.function, options.seed);
    else if (hypothesisAvailable) result.peer = await runGhostwriter(buggy, correct, entry.function);
    results.push(result);
    process.stderr.write(
      `  ${entry.id}: ${result.exposed ? 'exposed' : 'missed'} (${kinds.join(', ') || 'no findings'})${result.falseFindings.length ? `; FALSE on twin: ${result.falseFindings.join(', ')}` : ''}\n`,
    );
  }

  const suites = await runEmittedSuites(emitRoot, emitted);
  rmSync(emitRoot, { recursive: true, force: true });

  const rows: string[][] = [];
  const summaries: Record<string, unknown> = {};
  for (const language of ['typescript', 'python']) {
    const subset = results.filter((result) => result.language === language);
    if (subset.length === 0) continue;
    const rate = (count: number) => (100 * count) / subset.length;
    const exposed = subset.filter((result) => result.exposed).length;
    const asExpected = subset.filter((result) => result.exposedAsExpected).length;
    const falseFindings = subset.filter((result) => result.falseFindings.length > 0).length;
    const differential = subset.filter((result) => result.differentialExposed).length;
    const engineMinutes = subset.reduce((sum, result) => sum + result.engineSeconds, 0) / 60;
    const medianSeconds = median(subset.map((result) => result.engineSeconds));
    const vectorsPerSecond = subset.reduce((sum, result) => sum + result.vectors, 0) / (engineMinutes * 60);
    rows.push([
      `Plumb (${language})`,
      String(subset.length),
      `${exposed} (${formatNumber(rate(exposed), 0)}%)`,
      `${asExpected}`,
      `${falseFindings} (${formatNumber(rate(falseFindings), 0)}%)`,
      `${differential} (${formatNumber(rate(differential), 0)}%)`,
      formatNumber(exposed / engineMinutes, 1),
      formatNumber(medianSeconds, 2),
      formatNumber(vectorsPerSecond, 0),
    ]);
    const peers = subset.filter((result) => result.peer);
    if (peers.length > 0) {
      const peerExposed = peers.filter((result) => result.peer?.exposed).length;
      const peerFalse = peers.filter((result) => result.peer?.falseAlarm).length;
      const peerMinutes = peers.reduce((sum, result) => sum + (result.peer?.seconds ?? 0), 0) / 60;
      rows.push([
        language === 'typescript' ? 'plain fast-check (types only)' : 'Hypothesis ghostwriter',
        String(peers.length),
        `${peerExposed} (${formatNumber((100 * peerExposed) / peers.length, 0)}%)`,
        '',
        `${peerFalse} (${formatNumber((100 * peerFalse) / peers.length, 0)}%)`,
        'n/a',
        formatNumber(peerExposed / peerMinutes, 1),
        formatNumber(median(peers.map((result) => result.peer?.seconds ?? 0)), 2),
        '',
      ]);
    }
    summaries[language] = {
      bugs: subset.length,
      exposed,
      asExpected,
      falseFindings,
      differential,
      medianSeconds,
      vectorsPerSecond,
    };
  }
  const total = results.length;
  const exposedRate = (100 * results.filter((result) => result.exposed).length) / total;
  const falseRate = (100 * results.filter((result) => result.falseFindings.length > 0).length) / total;
  const differentialRate = (100 * results.filter((result) => result.differentialExposed).length) / total;
  const medianSeconds = median(results.map((result) => result.engineSeconds));
  return {
    name: 'test-vectors',
    title: `Test vectors on the seeded-bug corpus (${total} pairs, seed ${options.seed})`,
    table: {
      headers: [
        'tool',
        'bugs',
        'exposed',
        'as expected kind',
        'false on correct twins',
        'differential',
        'bugs/min',
        'median s/function',
        'vectors/s',
      ],
      rows,
    },
    notes: [
      `Emitted suites: ${suites.summary}.`,
      '"exposed": any finding on the buggy version without a reference; "as expected kind": the finding kind the corpus names.',
      '"false on correct twins": any finding on the correct version. "differential": a divergence between buggy and correct twin.',
      'Time per function: analysis + generation + execution of the default budget (160 catalogue + 40 property runs), buggy version.',
      'Peers: plain fast-check = one "does not throw" property per function, arbitraries from the declared types, 200 runs, 10 s cap;',
      'Hypothesis ghostwriter = `hypothesis write module.function` run with pytest (60 s cap). A peer "exposes" a bug when its test fails on the buggy version.',
      ...results
        .filter((result) => !result.exposed)
        .map((result) => `missed: ${result.id} (${result.bugClass}, expected ${result.expectedFinding})`),
      ...results
        .filter((result) => result.falseFindings.length > 0)
        .map(
          (result) => `false finding on the correct twin of ${result.id}: ${result.falseFindings.join(', ')}`,
        ),
    ],
    targets: [
      checkTarget({
        name: 'emitted suites green as emitted',
        value: suites.greenPercent,
        comparison: '>=',
        limit: 100,
        unit: '%',
      }),
      checkTarget({
        name: 'seeded bugs exposed without a reference',
        value: exposedRate,
        comparison: '>=',
        limit: 90,
        unit: '%',
      }),
      checkTarget({
        name: 'correct twins with a false finding',
        value: falseRate,
        comparison: '<=',
        limit: 5,
        unit: '%',
      }),
      checkTarget({
        name: 'bugs exposed in differential mode',
        value: differentialRate,
        comparison: '>=',
        limit: 100,
        unit: '%',
      }),
      checkTarget({
        name: 'median time per function',
        value: medianSeconds,
        comparison: '<=',
        limit: 2,
        unit: 's',
      }),
    ],
    data: { summaries, results, suites },
  };
}

async function runPeerProcess(
  file: string,
  functionName: string,
  seed: number,
): Promise<{ failed: boolean; timedOut: boolean }> {
  try {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repositoryRoot, 'bench/plain-fast-check-runner.ts'),
        file,
        functionName,
        String(seed),
        '200',
      ],
      { cwd: repositoryRoot, timeout: 10_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const line = stdout.trim().split('\n').at(-1) ?? '{}';
    return { failed: (JSON.parse(line) as { failed?: boolean }).failed === true, timedOut: false };
  } catch (error) {
    // Killed at the time limit: the property run hung, which a developer would notice as a failure.
    const killed = (error as { killed?: boolean; signal?: string }).killed === true;
    return { failed: true, timedOut: killed };
  }
}

async function runPlainFastCheck(buggy: string, correct: string, functionName: string, seed: number) {
  const started = performance.now();
  const onBuggy = await runPeerProcess(buggy, functionName, seed);
  const seconds = (performance.now() - started) / 1000;
  const onCorrect = await runPeerProcess(correct, functionName, seed);
  return {
    exposed: onBuggy.failed,
    falseAlarm: onCorrect.failed,
    seconds,
    ...(onBuggy.timedOut ? { note: 'timed out' } : {}),
  };
}

async function ghostwrite(file: string, functionName: string): Promise<boolean> {
  const directory = mkdtempSync(path.join(tmpdir(), 'plumb-bench-ghostwriter-'));
  try {
    copyFileSync(file, path.join(directory, 'subject.py'));
    const environment = { ...process.env, PYTHONPATH: directory, PYTHONDONTWRITEBYTECODE: '1' };
    const written = await run(
      python,
      [
        '-c',
        'import sys; from hypothesis.extra.cli import main; sys.argv[0] = "hypothesis"; main()',
        'write',
        `subject.${functionName}`,
      ],
      {
        cwd: directory,
        env: environment,
        timeout: 60_000,
      },
    );
    writeFileSync(path.join(directory, 'test_subject.py'), written.stdout);
    try {
      await run(python, ['-m', 'pytest', '-q', '-x', '-p', 'no:cacheprovider', 'test_subject.py'], {
        cwd: directory,
        env: environment,
        timeout: 60_000,
      });
      return false;
    } catch {
      return true;
    }
  } catch {
    // The ghostwriter could not write a test (unsupported signature): nothing exposed.
    return false;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function runGhostwriter(buggy: string, correct: string, functionName: string) {
  const started = performance.now();
  const exposed = await ghostwrite(buggy, functionName);
  const seconds = (performance.now() - started) / 1000;
  const falseAlarm = await ghostwrite(correct, functionName);
  return { exposed, falseAlarm, seconds };
}

/** Runs every emitted Vitest suite in one Vitest run and every pytest suite in one pytest run. */
async function runEmittedSuites(root: string, emitted: { typescript: number; python: number }) {
  const outcomes: { runner: string; suites: number; passed: boolean; tail: string }[] = [];
  if (emitted.typescript > 0) {
    const directory = path.join(root, 'typescript');
    symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(root, 'node_modules'));
    writeFileSync(
      path.join(root, 'vitest.config.mjs'),
      "export default { test: { include: ['typescript/**/*.test.ts'] } };\n",
    );
    const vitest = path.join(repositoryRoot, 'node_modules/vitest/vitest.mjs');
    const result = await run(process.execPath, [vitest, 'run', '--root', root, '--reporter', 'dot'], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    })
      .then((output) => ({ passed: true, tail: output.stdout }))
      .catch((error: { stdout?: string; message?: string }) => ({
        passed: false,
        tail: error.stdout ?? error.message ?? 'failed',
      }));
    outcomes.push({
      runner: 'vitest',
      suites: emitted.typescript,
      passed: result.passed,
      tail: lastLines(result.tail, directory),
    });
  }
  if (emitted.python > 0) {
    const directory = path.join(root, 'python');
    const result = await run(
      python,
      ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--import-mode=importlib', directory],
      {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 600_000,
      },
    )
      .then((output) => ({ passed: true, tail: output.stdout }))
      .catch((error: { stdout?: string; message?: string }) => ({
        passed: false,
        tail: error.stdout ?? error.message ?? 'failed',
      }));
    outcomes.push({
      runner: 'pytest',
      suites: emitted.python,
      passed: result.passed,
      tail: lastLines(result.tail, directory),
    });
  }
  const total = outcomes.reduce((sum, outcome) => sum + outcome.suites, 0);
  const green = outcomes.reduce((sum, outcome) => sum + (outcome.passed ? outcome.suites : 0), 0);
  return {
    greenPercent: total === 0 ? NaN : (100 * green) / total,
    summary: outcomes
      .map(
        (outcome) =>
          `${outcome.runner} ${outcome.suites} suites ${outcome.passed ? 'green' : 'RED'} (${outcome.tail})`,
      )
      .join('; '),
    outcomes,
  };
}

/** Removes ANSI colour codes (ESC [ ... m) from runner output. */
function stripColors(text: string): string {
  const escape = String.fromCharCode(27);
  return text
    .split(escape)
    .map((part, index) => (index === 0 ? part : part.replace(/^\[[0-9;]*m/, '')))
    .join('');
}

function lastLines(output: string, directory: string): string {
  const lines = output
    .split('\n')
    .map((line) => stripColors(line).trim())
    .filter((line) => /passed|failed|xfail|Tests|expected fail|skipped/.test(line));
  return lines.slice(-3).join(' / ').replaceAll(directory, '…').slice(0, 300);
}
