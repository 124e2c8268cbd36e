// Runs the peers of Plumb's security engine on the whole labeled corpus (packages/engines/fixtures/security)
// and prints their score tables: eslint-plugin-security on the JavaScript and TypeScript samples, bandit on the
// Python samples (all tests, and without its import-only B4xx tests, which flag an `import pickle` or
// `import subprocess` whatever the code does with it). Nothing analyses the Java samples here.
// `node --import tsx bench/security/run-security-peers.ts`
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { banditCoveredCwes, runBandit } from './run-bandit.ts';
import { eslintPluginSecurityCoveredCwes, runEslintPluginSecurity } from './run-eslint-plugin-security.ts';
import { formatScoreTable, scoreFindings, type SecurityScore } from './score-security-findings.ts';
import {
  parseErrorRuleId,
  readSecurityManifest,
  type CorpusLanguage,
  type PeerFinding,
  type SecurityCorpusEntry,
} from './security-corpus.ts';

export interface SecurityPeerReport {
  tool: string;
  score: SecurityScore;
  findings: PeerFinding[];
  /** Files the tool could not parse (counted as misses). */
  parseErrors: string[];
  seconds: number;
}

async function measurePeer(
  tool: string,
  entries: SecurityCorpusEntry[],
  run: (files: string[]) => Promise<PeerFinding[]>,
  coveredCwes: ReadonlySet<string>,
  keep: (finding: PeerFinding) => boolean = () => true,
): Promise<SecurityPeerReport> {
  const started = performance.now();
  const findings = (await run(entries.map((entry) => entry.file))).filter(keep);
  const seconds = (performance.now() - started) / 1000;
  const parseErrors = findings
    .filter((finding) => finding.ruleId === parseErrorRuleId)
    .map((finding) => finding.file);
  return { tool, score: scoreFindings(entries, findings, { coveredCwes }), findings, parseErrors, seconds };
}

/**
 * Runs eslint-plugin-security and bandit on the corpus and returns their reports.
 *
 * @example
 * for (const report of await runSecurityPeers()) console.log(report.tool, report.score.total.recall);
 */
export async function runSecurityPeers(): Promise<SecurityPeerReport[]> {
  const manifest = await readSecurityManifest();
  const inLanguages = (...languages: CorpusLanguage[]) =>
    manifest.filter((entry) => languages.includes(entry.language));
  const scripts = inLanguages('javascript', 'typescript');
  const python = inLanguages('python');
  return [
    await measurePeer(
      'eslint-plugin-security',
      scripts,
      runEslintPluginSecurity,
      eslintPluginSecurityCoveredCwes,
    ),
    await measurePeer('bandit', python, runBandit, banditCoveredCwes),
    await measurePeer(
      'bandit without B4xx import checks',
      python,
      runBandit,
      banditCoveredCwes,
      (finding) => !/^B4\d\d$/.test(finding.ruleId),
    ),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const report of await runSecurityPeers()) {
    console.log(`\n## ${report.tool} (${report.findings.length} findings, ${report.seconds.toFixed(1)} s)\n`);
    console.log(formatScoreTable(report.score));
    console.log(`\nfindings of another CWE than the sample's (not scored): ${report.score.otherFindings}`);
    if (report.parseErrors.length > 0) {
      console.log(`could not parse (counted as misses): ${report.parseErrors.join(', ')}`);
    }
  }
}
