// Peer runner: Debian's bandit (`/usr/bin/bandit -f json`) over the Python samples. Findings carry bandit's
// test id as the rule id and a CWE id: bandit's own `issue_cwe` when it reports one for a test this file does
// not map, otherwise the CWE class the test actually detects (see banditTestCwes).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseErrorRuleId, securityCorpusDirectory, type PeerFinding } from './security-corpus.ts';

export const banditToolName = 'bandit';
export const banditExecutable = process.env.PLUMB_BANDIT ?? '/usr/bin/bandit';
const run = promisify(execFile);

/**
 * CWE of each bandit test, in the corpus's vocabulary. Debian's bandit 1.6 reports no `issue_cwe` at all, and
 * newer bandits file several tests under a broader CWE than the class they detect (eval and exec under
 * CWE-78, md5 under CWE-327, the XML parsers under CWE-20, `random` under CWE-330, hard-coded passwords under
 * CWE-259); crediting each finding to the class it detects keeps the comparison fair to bandit.
 */
export const banditTestCwes: Readonly<Record<string, string>> = {
  B101: 'CWE-703',
  B102: 'CWE-94',
  B103: 'CWE-732',
  B104: 'CWE-605',
  B105: 'CWE-798',
  B106: 'CWE-798',
  B107: 'CWE-798',
  B108: 'CWE-377',
  B110: 'CWE-703',
  B112: 'CWE-703',
  B201: 'CWE-489',
  B301: 'CWE-502',
  B302: 'CWE-502',
  B303: 'CWE-328',
  B304: 'CWE-327',
  B305: 'CWE-327',
  B306: 'CWE-377',
  B307: 'CWE-94',
  B308: 'CWE-79',
  B309: 'CWE-295',
  B310: 'CWE-918',
  B311: 'CWE-338',
  B312: 'CWE-319',
  B313: 'CWE-611',
  B314: 'CWE-611',
  B315: 'CWE-611',
  B316: 'CWE-611',
  B317: 'CWE-611',
  B318: 'CWE-611',
  B319: 'CWE-611',
  B320: 'CWE-611',
  B321: 'CWE-319',
  B322: 'CWE-94',
  B323: 'CWE-295',
  B324: 'CWE-328',
  B325: 'CWE-377',
  B401: 'CWE-319',
  B402: 'CWE-319',
  B403: 'CWE-502',
  B404: 'CWE-78',
  B405: 'CWE-611',
  B406: 'CWE-611',
  B407: 'CWE-611',
  B408: 'CWE-611',
  B409: 'CWE-611',
  B410: 'CWE-611',
  B411: 'CWE-611',
  B412: 'CWE-284',
  B413: 'CWE-327',
  B501: 'CWE-295',
  B502: 'CWE-327',
  B503: 'CWE-327',
  B504: 'CWE-327',
  B505: 'CWE-326',
  B506: 'CWE-502',
  B507: 'CWE-295',
  B601: 'CWE-78',
  B602: 'CWE-78',
  B603: 'CWE-78',
  B604: 'CWE-78',
  B605: 'CWE-78',
  B606: 'CWE-78',
  B607: 'CWE-78',
  B608: 'CWE-89',
  B609: 'CWE-78',
  B610: 'CWE-89',
  B611: 'CWE-89',
  B701: 'CWE-79',
  B702: 'CWE-79',
  B703: 'CWE-79',
};

/** CWE ids bandit has at least one test for. */
export const banditCoveredCwes: ReadonlySet<string> = new Set(Object.values(banditTestCwes));

interface BanditReport {
  errors?: { filename: string; reason: string }[];
  results?: {
    filename: string;
    line_number: number;
    test_id: string;
    issue_cwe?: { id?: number };
  }[];
}

function isBanditReport(value: unknown): value is BanditReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as BanditReport).results);
}

/**
 * Runs bandit over the given Python files (absolute, or relative to the corpus directory) and returns one
 * finding per bandit result, file paths relative to the corpus directory. A file bandit cannot parse yields
 * one finding with rule id `parse-error`, line 1 and no CWE, so it counts as a miss.
 *
 * @example
 * const findings = await runBandit(['python/CWE-78/vulnerable-2-subprocess-shell-true-fstring.py']);
 * console.log(findings.filter((finding) => finding.cwe === 'CWE-78').length);
 */
export async function runBandit(
  files: string[],
  corpusDirectory: string = securityCorpusDirectory,
): Promise<PeerFinding[]> {
  if (files.length === 0) return [];
  const absolute = files.map((file) => path.resolve(corpusDirectory, file));
  let stdout: string;
  try {
    ({ stdout } = await run(banditExecutable, ['-f', 'json', ...absolute], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    // bandit exits 1 whenever it reports an issue; its JSON report is still on stdout.
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof failed.stdout !== 'string' || failed.stdout.trim() === '') {
      throw new Error(
        `${banditExecutable} failed (exit ${String(failed.code)}) without a JSON report: ${failed.stderr ?? String(error)}; ` +
          'install Debian bandit or set PLUMB_BANDIT to its path',
        { cause: error },
      );
    }
    stdout = failed.stdout;
  }
  const report: unknown = JSON.parse(stdout);
  if (!isBanditReport(report)) throw new Error('bandit -f json printed JSON without a "results" array');
  const relative = (file: string) => path.relative(corpusDirectory, file).split(path.sep).join('/');
  const findings: PeerFinding[] = (report.errors ?? []).map((error) => ({
    tool: banditToolName,
    file: relative(error.filename),
    line: 1,
    ruleId: parseErrorRuleId,
  }));
  for (const result of report.results ?? []) {
    const reportedCwe = result.issue_cwe?.id === undefined ? undefined : `CWE-${result.issue_cwe.id}`;
    const cwe = banditTestCwes[result.test_id] ?? reportedCwe;
    findings.push({
      tool: banditToolName,
      file: relative(result.filename),
      line: result.line_number,
      ruleId: result.test_id,
      ...(cwe === undefined ? {} : { cwe }),
    });
  }
  return findings;
}
