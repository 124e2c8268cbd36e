import { readFileSync } from 'node:fs';
import path from 'node:path';
import { localize } from './localize.ts';
import { runToFailure, type RunToFailureResult } from './run-to-failure.ts';

export interface CorpusCase {
  name: string;
  language: 'javascript' | 'python';
  program: string;
  test: string;
  tests: string[];
  buggyLine: number;
  faultingFrame: { function: string; locals: string[] };
}

export interface CorpusCaseResult {
  case: CorpusCase;
  failure: RunToFailureResult;
  /** Pessimistic Ochiai rank of the buggy line; undefined when it was not ranked at all. */
  buggyLineRank: number | undefined;
  failingTests: string[];
}

/**
 * Runs run-to-failure and localize over a corpus of buggy programs (a `manifest.json` listing each program, its
 * test file and test names, the buggy line and the expected faulting frame).
 *
 * @example const results = await evaluateDebuggerCorpus('/repo/packages/engines/fixtures/debugger/corpus');
 */
export async function evaluateDebuggerCorpus(
  directory: string,
  options: { concurrency?: number; filter?: (entry: CorpusCase) => boolean } = {},
): Promise<CorpusCaseResult[]> {
  const manifest = JSON.parse(readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as {
    cases: CorpusCase[];
  };
  const cases = manifest.cases.filter(options.filter ?? (() => true));
  const results: CorpusCaseResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const entry = cases[next++];
      if (!entry) break;
      const test = path.join(directory, entry.test);
      const program = path.join(directory, entry.program);
      const failure = await runToFailure({ program: test });
      const localized = await localize({
        tests: entry.tests.map((name) => ({ name, program: test, args: [name] })),
        limit: 1_000,
      });
      const buggy = localized.lines.find((line) => line.file === program && line.line === entry.buggyLine);
      results.push({
        case: entry,
        failure,
        buggyLineRank: buggy?.rank,
        failingTests: localized.tests.filter((result) => !result.passed).map((result) => result.name),
      });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return results.sort((a, b) => a.case.name.localeCompare(b.case.name));
}
