// Scores a tool's findings against the labeled security corpus: per CWE, per language and in total, true
// positives (a vulnerable sample with a finding of its CWE on, or within one line of, a listed sink line),
// false negatives, false positives (a safe sample with a finding of its CWE) and noise (findings of the
// sample's CWE on other lines of a vulnerable sample), precision and recall. Only CWEs the tool claims to cover
// are scored; the others are reported as "not covered".
import { formatTable } from '../format-table.ts';
import type { PeerFinding, SecurityCorpusEntry } from './security-corpus.ts';

/** A finding this many lines away from a listed sink line still counts (multi-line statements). */
export const sinkLineTolerance = 1;

export interface SecurityScoreCounts {
  vulnerableSamples: number;
  safeSamples: number;
  /** Vulnerable samples with a finding of their CWE on a sink line. */
  truePositives: number;
  /** Vulnerable samples without one. */
  falseNegatives: number;
  /** Safe samples with at least one finding of their CWE. */
  falsePositives: number;
  /** Findings of the sample's CWE on vulnerable samples, away from every listed sink line. */
  noise: number;
  /** truePositives / (truePositives + falsePositives); undefined when nothing was flagged. */
  precision: number | undefined;
  /** truePositives / vulnerableSamples; undefined without vulnerable samples. */
  recall: number | undefined;
}

export interface SecurityScoreCweRow extends SecurityScoreCounts {
  cwe: string;
  /** False when the tool has no rule mapped to this CWE: its counts are then zero and not in the totals. */
  covered: boolean;
}

export interface SecurityScoreLanguageRow extends SecurityScoreCounts {
  language: string;
}

export interface SecurityScore {
  byCwe: SecurityScoreCweRow[];
  byLanguage: SecurityScoreLanguageRow[];
  /** Over covered CWEs only. */
  total: SecurityScoreCounts;
  /** Findings of another CWE than the sample's own (not scored), and findings on files not in the manifest. */
  otherFindings: number;
}

export interface ScoreFindingsOptions {
  /** CWE ids the tool has rules for; every CWE of the manifest when omitted. */
  coveredCwes?: ReadonlySet<string>;
}

interface SampleOutcome {
  entry: SecurityCorpusEntry;
  detected: boolean;
  flagged: boolean;
  noise: number;
}

function emptyCounts(): SecurityScoreCounts {
  return {
    vulnerableSamples: 0,
    safeSamples: 0,
    truePositives: 0,
    falseNegatives: 0,
    falsePositives: 0,
    noise: 0,
    precision: undefined,
    recall: undefined,
  };
}

function addOutcome(counts: SecurityScoreCounts, outcome: SampleOutcome): void {
  if (outcome.entry.label === 'vulnerable') {
    counts.vulnerableSamples += 1;
    if (outcome.detected) counts.truePositives += 1;
    else counts.falseNegatives += 1;
    counts.noise += outcome.noise;
  } else {
    counts.safeSamples += 1;
    if (outcome.flagged) counts.falsePositives += 1;
  }
  const flagged = counts.truePositives + counts.falsePositives;
  counts.precision = flagged === 0 ? undefined : counts.truePositives / flagged;
  counts.recall =
    counts.vulnerableSamples === 0 ? undefined : counts.truePositives / counts.vulnerableSamples;
}

/**
 * Scores findings against the manifest (pass only the entries of the languages the tool analyses).
 *
 * @example
 * const score = scoreFindings(manifest, await runBandit(files), { coveredCwes: banditCoveredCwes });
 * console.log(formatScoreTable(score));
 */
export function scoreFindings(
  manifest: readonly SecurityCorpusEntry[],
  findings: readonly PeerFinding[],
  options: ScoreFindingsOptions = {},
): SecurityScore {
  const findingsByFile = new Map<string, PeerFinding[]>();
  for (const finding of findings) {
    const list = findingsByFile.get(finding.file) ?? [];
    list.push(finding);
    findingsByFile.set(finding.file, list);
  }
  const coveredCwes = options.coveredCwes ?? new Set(manifest.map((entry) => entry.cwe));
  const cweNumber = (cwe: string) => Number.parseInt(cwe.replace(/^CWE-/, ''), 10);
  const cweOrder = [...new Set(manifest.map((entry) => entry.cwe))].sort(
    (left, right) => cweNumber(left) - cweNumber(right) || left.localeCompare(right),
  );
  const byCwe = new Map<string, SecurityScoreCweRow>(
    cweOrder.map((cwe) => [cwe, { cwe, covered: coveredCwes.has(cwe), ...emptyCounts() }]),
  );
  const byLanguage = new Map<string, SecurityScoreLanguageRow>();
  const total = emptyCounts();
  const listedFiles = new Set(manifest.map((entry) => entry.file));
  let otherFindings = findings.filter((finding) => !listedFiles.has(finding.file)).length;

  for (const entry of manifest) {
    const fileFindings = findingsByFile.get(entry.file) ?? [];
    const own = fileFindings.filter((finding) => finding.cwe === entry.cwe);
    otherFindings += fileFindings.filter(
      (finding) => finding.cwe !== undefined && finding.cwe !== entry.cwe,
    ).length;
    const row = byCwe.get(entry.cwe);
    if (row === undefined || !row.covered) {
      if (row !== undefined) {
        if (entry.label === 'vulnerable') row.vulnerableSamples += 1;
        else row.safeSamples += 1;
      }
      continue;
    }
    const onSink = (finding: PeerFinding) =>
      entry.lines.some((line) => Math.abs(finding.line - line) <= sinkLineTolerance);
    const outcome: SampleOutcome = {
      entry,
      detected: entry.label === 'vulnerable' && own.some(onSink),
      flagged: own.length > 0,
      noise: entry.label === 'vulnerable' ? own.filter((finding) => !onSink(finding)).length : 0,
    };
    addOutcome(row, outcome);
    addOutcome(total, outcome);
    const languageRow = byLanguage.get(entry.language) ?? { language: entry.language, ...emptyCounts() };
    addOutcome(languageRow, outcome);
    byLanguage.set(entry.language, languageRow);
  }
  return { byCwe: [...byCwe.values()], byLanguage: [...byLanguage.values()], total, otherFindings };
}

function formatRatio(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.round(value * 100)} %`;
}

function countCells(counts: SecurityScoreCounts): string[] {
  return [
    String(counts.vulnerableSamples),
    String(counts.safeSamples),
    String(counts.truePositives),
    String(counts.falseNegatives),
    String(counts.falsePositives),
    String(counts.noise),
    formatRatio(counts.precision),
    formatRatio(counts.recall),
  ];
}

const countHeaders = ['vulnerable', 'safe', 'TP', 'FN', 'FP', 'noise', 'precision', 'recall'];

/**
 * Renders a score as two plain-text tables: per CWE (with a total row) and per language.
 *
 * @example
 * console.log(formatScoreTable(scoreFindings(manifest, findings)));
 */
export function formatScoreTable(score: SecurityScore): string {
  const cweRows = score.byCwe.map((row) =>
    row.covered
      ? [row.cwe, ...countCells(row)]
      : [row.cwe, String(row.vulnerableSamples), String(row.safeSamples), 'not covered', '', '', '', '', ''],
  );
  cweRows.push(['total (covered)', ...countCells(score.total)]);
  const languageRows = score.byLanguage.map((row) => [row.language, ...countCells(row)]);
  return [
    formatTable(['cwe', ...countHeaders], cweRows),
    '',
    formatTable(['language', ...countHeaders], languageRows),
  ].join('\n');
}
