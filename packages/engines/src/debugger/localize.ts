import path from 'node:path';
import { collectLineCoverage } from './collect-line-coverage.ts';
import { debugLanguageOf } from './create-debug-backend.ts';
import type { DebugLanguage } from './debug-backend.ts';
import { rankSuspiciousLines, type SuspiciousLine } from './rank-suspicious-lines.ts';

export interface LocalizeTest {
  /** A name to report the test by. */
  name: string;
  /** The test command: a program and its arguments (e.g. a test file and the case to run). */
  program: string;
  args?: string[];
}

export interface LocalizeOptions {
  tests: LocalizeTest[];
  cwd?: string;
  environment?: Record<string, string>;
  language?: DebugLanguage;
  /** Files whose lines are ranked; default every file that is not a test file. */
  sourceFiles?: string[];
  timeoutMilliseconds?: number;
  /** How many lines to return; default 10. */
  limit?: number;
  python?: string;
}

export interface LocalizeResult {
  lines: SuspiciousLine[];
  tests: { name: string; passed: boolean; timedOut: boolean }[];
  warnings: string[];
}

const testFilePattern = /(^test_.*\.py$|_test\.py$|\.(test|spec)\.[cm]?[jt]sx?$)/;

/**
 * Spectrum-based fault localization: runs every test under line coverage (one process per test) and ranks the
 * lines of the code under test by Ochiai suspiciousness.
 *
 * @example
 * const { lines } = await localize({ tests: [
 *   { name: 'even', program: '/app/median.test.ts', args: ['even count'] },
 *   { name: 'odd', program: '/app/median.test.ts', args: ['odd count'] },
 * ] });
 * lines[0] // => { file: '/app/median.ts', line: 9, score: 1, rank: 1, ... }
 */
export async function localize(options: LocalizeOptions): Promise<LocalizeResult> {
  const warnings: string[] = [];
  const spectra = [];
  const tests = [];
  for (const test of options.tests) {
    const coverage = await collectLineCoverage({
      language: options.language ?? debugLanguageOf(test.program),
      program: test.program,
      args: test.args,
      cwd: options.cwd,
      environment: options.environment,
      timeoutMilliseconds: options.timeoutMilliseconds,
      python: options.python,
    });
    if (coverage.timedOut) warnings.push(`Test ${test.name} timed out; it counts as failing.`);
    spectra.push({ passed: coverage.passed, lines: coverage.lines });
    tests.push({ name: test.name, passed: coverage.passed, timedOut: coverage.timedOut });
  }
  if (!tests.some((test) => !test.passed)) warnings.push('No test failed, so there is nothing to localize.');
  if (!tests.some((test) => test.passed))
    warnings.push('No test passed; the ranking cannot tell lines apart well.');
  const sourceFiles = options.sourceFiles?.map((file) => path.resolve(options.cwd ?? '.', file));
  const include = sourceFiles
    ? (file: string) => sourceFiles.includes(file)
    : (file: string) => !testFilePattern.test(path.basename(file));
  return { lines: rankSuspiciousLines(spectra, include).slice(0, options.limit ?? 10), tests, warnings };
}
