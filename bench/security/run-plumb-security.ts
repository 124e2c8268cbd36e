// Runs Plumb's own security engine on the labeled corpus and prints its score table, per CWE and language.
// `node --import tsx bench/security/run-plumb-security.ts [--misses]` (`--misses` lists every missed or false
// sample). The bench's `security` scenario uses `runPlumbSecurity` to compare Plumb with its peers.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { scanSource } from '@plumb/engines';
import { formatScoreTable, scoreFindings, type SecurityScore } from './score-security-findings.ts';
import {
  readSecurityManifest,
  securityCorpusDirectory,
  type PeerFinding,
  type SecurityCorpusEntry,
} from './security-corpus.ts';

export const plumbToolName = 'plumb';

/** Every CWE the corpus covers is one Plumb claims to cover. */
export async function runPlumbSecurity(entries?: SecurityCorpusEntry[]): Promise<{
  score: SecurityScore;
  findings: PeerFinding[];
  seconds: number;
  lines: number;
  /** Files the engine threw on. */
  crashes: string[];
}> {
  const manifest = entries ?? (await readSecurityManifest());
  const findings: PeerFinding[] = [];
  let lines = 0;
  const crashes: string[] = [];
  const started = performance.now();
  for (const entry of manifest) {
    const code = await readFile(path.join(securityCorpusDirectory, entry.file), 'utf8');
    lines += code.split('\n').length;
    let result: ReturnType<typeof scanSource>;
    try {
      result = scanSource({ code, file: entry.file });
    } catch (error) {
      // A crash is a miss (and a bug): reported, never hidden.
      crashes.push(`${entry.file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      continue;
    }
    for (const finding of result.findings) {
      findings.push({
        tool: plumbToolName,
        file: entry.file,
        line: finding.line,
        cwe: finding.cwe,
        ruleId: finding.ruleId,
      });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { score: scoreFindings(manifest, findings), findings, seconds, lines, crashes };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const manifest = await readSecurityManifest();
  const report = await runPlumbSecurity(manifest);
  console.log(
    `\n## plumb (${report.findings.length} findings, ${report.seconds.toFixed(2)} s, ${report.lines} lines)\n`,
  );
  console.log(formatScoreTable(report.score));
  for (const crash of report.crashes) console.log(`CRASH ${crash}`);
  if (process.argv.includes('--misses')) {
    for (const entry of manifest) {
      const own = report.findings.filter(
        (finding) => finding.file === entry.file && finding.cwe === entry.cwe,
      );
      const hit = own.some((finding) => entry.lines.some((line) => Math.abs(line - finding.line) <= 1));
      if (entry.label === 'vulnerable' && !hit)
        console.log(`MISS ${entry.file} (lines ${entry.lines.join(',')})`);
      if (entry.label === 'safe' && own.length > 0) {
        console.log(
          `FALSE ${entry.file}: ${own.map((finding) => `${finding.ruleId}@${finding.line}`).join(', ')}`,
        );
      }
    }
  }
}
