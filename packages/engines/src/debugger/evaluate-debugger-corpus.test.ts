import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateDebuggerCorpus } from './evaluate-debugger-corpus.ts';

const corpus = fileURLToPath(new URL('../../fixtures/debugger/corpus', import.meta.url));

describe('run to failure and localize over the buggy-program corpus', () => {
  it('stops in the faulting frame with its locals, and ranks most buggy lines in the top 3', async () => {
    const results = await evaluateDebuggerCorpus(corpus, { concurrency: 3 });
    expect(results.length).toBeGreaterThanOrEqual(20);
    for (const result of results) {
      const [faulting] = result.failure.frames;
      expect(result.failure.status, result.case.name).toBe('failed');
      expect(faulting?.name, result.case.name).toBe(result.case.faultingFrame.function);
      expect(
        faulting?.locals.map((local) => local.name),
        result.case.name,
      ).toEqual(expect.arrayContaining(result.case.faultingFrame.locals));
      expect(result.failingTests.length, result.case.name).toBeGreaterThan(0);
      expect(result.buggyLineRank, `${result.case.name}: the buggy line is ranked`).toBeDefined();
    }
    const topThree = results.filter((result) => (result.buggyLineRank ?? Infinity) <= 3).length;
    expect(topThree / results.length).toBeGreaterThanOrEqual(0.75);
  }, 180_000);
});
