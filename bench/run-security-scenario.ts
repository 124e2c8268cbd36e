import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  findCandidateRules,
  loadSecurityRules,
  scanProject,
  scanSource,
  type SecurityScanCache,
} from '@plumb/engines';
import { checkTarget, formatNumber, type ScenarioReport, type TargetCheck } from './scenario-report.ts';
import { buildSourceTree } from './security/build-source-tree.ts';
import { banditExecutable } from './security/run-bandit.ts';
import { runPlumbSecurity } from './security/run-plumb-security.ts';
import { runSecurityPeers } from './security/run-security-peers.ts';
import type { SecurityScore, SecurityScoreCounts } from './security/score-security-findings.ts';
import {
  readSecurityManifest,
  securityCorpusDirectory,
  type CorpusLanguage,
} from './security/security-corpus.ts';
import { summarizeSamples } from './summarize-samples.ts';

const ratio = (slower: number, faster: number) => `${(slower / faster).toFixed(1)}x`;

/** Every rule of the file's language on every file, in one ast-grep CLI pass (no pre-filters, no exact scan). */
async function runBareAstGrep(root: string): Promise<void> {
  const rules = loadSecurityRules();
  const extensions: Record<string, string> = {
    '.js': 'javascript',
    '.cjs': 'javascript',
    '.mjs': 'javascript',
    '.ts': 'javascript',
    '.py': 'python',
    '.java': 'java',
  };
  const files = new Map<string, string[]>();
  const walk = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(folder, entry.name), `${prefix}${entry.name}/`);
      const language = extensions[path.extname(entry.name)];
      if (entry.isFile() && language !== undefined)
        files.set(
          `${prefix}${entry.name}`,
          rules.filter((rule) => rule.languages.includes(language as never)).map((rule) => rule.id),
        );
    }
  };
  walk(root, '');
  await findCandidateRules({ root, files, rules });
}

/** Seconds bandit takes over a folder (all its tests), or undefined when it is not installed. */
async function timeBandit(folder: string): Promise<number | undefined> {
  const started = performance.now();
  const finished = await new Promise<boolean>((resolve) => {
    // bandit exits with 1 when it reports issues; only a missing executable counts as absent.
    execFile(
      banditExecutable,
      ['-r', '-q', '-f', 'json', folder],
      { maxBuffer: 256 * 1024 * 1024 },
      (error) => resolve(error === null || typeof error.code === 'number'),
    );
  });
  return finished ? (performance.now() - started) / 1000 : undefined;
}

const percent = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value * 100)} %`);

/** F1 with "nothing flagged" as 0 precision, so a silent tool never wins a comparison. */
function f1(counts: SecurityScoreCounts | undefined): number {
  if (!counts) return 0;
  const precision = counts.precision ?? 0;
  const recall = counts.recall ?? 0;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

function rowOf(score: SecurityScore, cwe: string) {
  return score.byCwe.find((row) => row.cwe === cwe && row.covered);
}

/**
 * The security engine against its peers on the labeled corpus (packages/engines/fixtures/security): per CWE
 * precision and recall of Plumb, eslint-plugin-security (JS/TS) and bandit (Python) on the same files in the
 * same run, Plumb being compared with each peer on that peer's languages only; then speed: a whole-project
 * scan of a realistic tree of real code (with same-run baselines), an incremental re-scan of one changed file,
 * and a 200-line snippet (the generation guard's case).
 */
export async function runSecurityScenario(options: {
  /** Lines of the realistic project of the speed part. */
  lines: number;
  rounds: number;
}): Promise<ScenarioReport> {
  const manifest = await readSecurityManifest();
  const inLanguages = (...languages: CorpusLanguage[]) =>
    manifest.filter((entry) => languages.includes(entry.language));
  const plumb = await runPlumbSecurity(manifest);
  const plumbScripts = (await runPlumbSecurity(inLanguages('javascript', 'typescript'))).score;
  const plumbPython = (await runPlumbSecurity(inLanguages('python'))).score;
  const peers = await runSecurityPeers();
  const eslint = peers.find((report) => report.tool === 'eslint-plugin-security');
  const bandit = peers.find((report) => report.tool === 'bandit');

  const rows: string[][] = [];
  let comparisons = 0;
  let wins = 0;
  const losses: string[] = [];
  for (const row of plumb.score.byCwe) {
    const cells = [row.cwe, `${percent(row.precision)} / ${percent(row.recall)}`];
    for (const [peer, own] of [
      [eslint, plumbScripts],
      [bandit, plumbPython],
    ] as const) {
      const peerRow = peer ? rowOf(peer.score, row.cwe) : undefined;
      if (!peerRow || peerRow.vulnerableSamples === 0) {
        cells.push('not covered');
        continue;
      }
      const ownRow = rowOf(own, row.cwe);
      comparisons += 1;
      const better = f1(ownRow) > f1(peerRow);
      if (better) wins += 1;
      else losses.push(`${row.cwe} vs ${peer?.tool ?? ''}`);
      cells.push(
        `${percent(peerRow.precision)} / ${percent(peerRow.recall)} (plumb ${percent(ownRow?.precision)} / ${percent(ownRow?.recall)}${better ? '' : ', NOT better'})`,
      );
    }
    rows.push(cells);
  }
  rows.push([
    'total',
    `${percent(plumb.score.total.precision)} / ${percent(plumb.score.total.recall)}`,
    eslint ? `${percent(eslint.score.total.precision)} / ${percent(eslint.score.total.recall)}` : 'n/a',
    bandit ? `${percent(bandit.score.total.precision)} / ${percent(bandit.score.total.recall)}` : 'n/a',
  ]);

  // Speed: a realistic project (real code of several languages, the corpus a tenth of it), scanned whole, then
  // again with one file changed. Baselines in the same run: the in-process engine alone (no CLI pass), a bare
  // ast-grep CLI pass with the same rules (pattern matching only: no conditions, taint or fixes), and bandit
  // against Plumb on the Python part.
  const root = mkdtempSync(path.join(tmpdir(), 'plumb-bench-security-'));
  let speed: {
    lines: number;
    files: number;
    composition: Record<string, number>;
    projectSeconds: number;
    inProcessSeconds: number;
    bareCliSeconds: number;
    pythonLines: number;
    pythonSeconds: number;
    banditPythonSeconds: number | undefined;
    incrementalMilliseconds: number;
    snippetMilliseconds: number;
  };
  try {
    const composition = buildSourceTree(root, options.lines);
    // Warm-up (parsers loaded, rules compiled once), then the measured cold scans.
    await scanProject({ root: path.join(root, 'corpus'), astGrepCli: false });
    const cache: SecurityScanCache = new Map();
    let started = performance.now();
    const whole = await scanProject({ root, cache });
    const projectSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await scanProject({ root, astGrepCli: false });
    const inProcessSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await runBareAstGrep(root);
    const bareCliSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const python = await scanProject({ root: path.join(root, 'python') });
    const pythonSeconds = (performance.now() - started) / 1000;
    const banditPythonSeconds = await timeBandit(path.join(root, 'python'));
    const changed = path.join(
      root,
      'javascript',
      'copy0',
      readdirSync(path.join(root, 'javascript', 'copy0'))[0] ?? '',
    );
    const incremental: number[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      writeFileSync(changed, `${readFileSync(changed, 'utf8')}\n// edit ${round}\n`);
      const before = performance.now();
      await scanProject({ root, cache });
      incremental.push(performance.now() - before);
    }
    const snippet = inLanguages('typescript', 'javascript')
      .filter((entry) => entry.file.endsWith('.ts'))
      .map((entry) => readFileSync(path.join(securityCorpusDirectory, entry.file), 'utf8'))
      .join('\n')
      .split('\n')
      .slice(0, 200)
      .join('\n');
    const snippetTimes: number[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const before = performance.now();
      scanSource({ code: snippet, language: 'typescript' });
      snippetTimes.push(performance.now() - before);
    }
    speed = {
      lines: whole.linesScanned,
      files: whole.filesScanned,
      composition,
      projectSeconds,
      inProcessSeconds,
      bareCliSeconds,
      pythonLines: python.linesScanned,
      pythonSeconds,
      banditPythonSeconds,
      incrementalMilliseconds: summarizeSamples(incremental).p50,
      snippetMilliseconds: summarizeSamples(snippetTimes).p50,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const linesPerSecond = speed.lines / speed.projectSeconds;

  const minimum = (pick: (counts: SecurityScoreCounts) => number | undefined) =>
    Math.min(...plumb.score.byCwe.filter((row) => row.vulnerableSamples > 0).map((row) => pick(row) ?? 0));
  const targets: TargetCheck[] = [
    checkTarget({ name: 'security: lowest recall of any CWE', value: minimum((row) => row.recall) * 100, comparison: '>=', limit: 90, unit: '%' }),
    checkTarget({ name: 'security: lowest precision of any CWE', value: minimum((row) => row.precision) * 100, comparison: '>=', limit: 90, unit: '%' }),
    checkTarget({ name: 'security: CWEs where Plumb beats the peer (F1)', value: wins, comparison: '>=', limit: comparisons, unit: 'CWE' }),
    checkTarget({ name: 'security: whole-project scan', value: linesPerSecond, comparison: '>=', limit: 50_000, unit: 'lines/s' }),
    checkTarget({ name: 'security: incremental re-scan, one file changed (p50)', value: speed.incrementalMilliseconds, comparison: '<=', limit: 100, unit: 'ms' }),
    checkTarget({ name: 'security: 200-line snippet, guard latency (p50)', value: speed.snippetMilliseconds, comparison: '<=', limit: 50, unit: 'ms' }),
  ]; // prettier-ignore

  return {
    name: 'security',
    title: `Security review: labeled corpus (${manifest.length} samples), precision / recall per CWE`,
    table: { headers: ['CWE', 'plumb', 'eslint-plugin-security (JS/TS)', 'bandit (Python)'], rows },
    notes: [
      `Plumb compared with each peer on that peer's languages; a peer's CWE counts only where it has a rule for it.`,
      `Plumb ${plumb.findings.length} findings in ${plumb.seconds.toFixed(2)} s; crashes: ${plumb.crashes.length}.`,
      `Speed on a realistic project (${speed.files} files, ${formatNumber(speed.lines, 0)} lines: ${Object.entries(
        speed.composition,
      )
        .map(([part, lines]) => `${part} ${formatNumber(lines, 0)}`)
        .join(
          ', ',
        )}): ${speed.projectSeconds.toFixed(2)} s = ${formatNumber(linesPerSecond, 0)} lines/s; in-process engine alone ${speed.inProcessSeconds.toFixed(2)} s (${ratio(speed.inProcessSeconds, speed.projectSeconds)} slower); bare ast-grep CLI pass, same rules, matching only ${speed.bareCliSeconds.toFixed(2)} s.`,
      `Python part: Plumb ${formatNumber(speed.pythonLines / speed.pythonSeconds, 0)} lines/s, bandit ${speed.banditPythonSeconds === undefined ? 'not installed' : `${formatNumber(speed.pythonLines / speed.banditPythonSeconds, 0)} lines/s (Plumb ${ratio(speed.banditPythonSeconds, speed.pythonSeconds)} faster)`}. Incremental p50 ${speed.incrementalMilliseconds.toFixed(1)} ms; 200-line snippet p50 ${speed.snippetMilliseconds.toFixed(1)} ms.`,
      ...(losses.length > 0 ? [`Not better than the peer on: ${losses.join(', ')}.`] : []),
      ...peers.map(
        (peer) => `${peer.tool}: ${peer.findings.length} findings in ${peer.seconds.toFixed(1)} s.`,
      ),
    ],
    targets,
    data: {
      plumb: plumb.score,
      peers: peers.map((peer) => ({ tool: peer.tool, score: peer.score, seconds: peer.seconds })),
      speed: { ...speed, linesPerSecond },
      crashes: plumb.crashes,
    },
  };
}
