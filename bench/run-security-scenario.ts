import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanProject, scanSource, type SecurityScanCache } from '@plumb/engines';
import { checkTarget, formatNumber, type ScenarioReport, type TargetCheck } from './scenario-report.ts';
import { runPlumbSecurity } from './security/run-plumb-security.ts';
import { runSecurityPeers } from './security/run-security-peers.ts';
import type { SecurityScore, SecurityScoreCounts } from './security/score-security-findings.ts';
import {
  readSecurityManifest,
  securityCorpusDirectory,
  type CorpusLanguage,
} from './security/security-corpus.ts';
import { summarizeSamples } from './summarize-samples.ts';

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
 * scan of a tree of corpus copies, an incremental re-scan of one changed file, and a 200-line snippet (the
 * generation guard's case).
 */
export async function runSecurityScenario(options: {
  copies: number;
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

  // Speed: a project made of corpus copies (every language), scanned whole, then again with one file changed.
  const root = mkdtempSync(path.join(tmpdir(), 'plumb-bench-security-'));
  let speed: {
    lines: number;
    files: number;
    projectSeconds: number;
    incrementalMilliseconds: number;
    snippetMilliseconds: number;
  };
  try {
    for (let copy = 0; copy < options.copies; copy += 1) {
      cpSync(securityCorpusDirectory, path.join(root, `copy-${copy}`), {
        recursive: true,
        filter: (source) => !source.endsWith('.json') && !source.endsWith('.md'),
      });
    }
    const cache: SecurityScanCache = new Map();
    const started = performance.now();
    const whole = await scanProject({ root, cache });
    const projectSeconds = (performance.now() - started) / 1000;
    const changed = path.join(root, 'copy-0', manifest[0]?.file ?? '');
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
      projectSeconds,
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
      `Speed: ${speed.files} files, ${formatNumber(speed.lines, 0)} lines in ${speed.projectSeconds.toFixed(2)} s = ${formatNumber(linesPerSecond, 0)} lines/s; incremental p50 ${speed.incrementalMilliseconds.toFixed(1)} ms; 200-line snippet p50 ${speed.snippetMilliseconds.toFixed(1)} ms.`,
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
