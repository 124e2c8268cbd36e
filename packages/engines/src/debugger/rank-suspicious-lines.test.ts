import { describe, expect, it } from 'vitest';
import { rankSuspiciousLines } from './rank-suspicious-lines.ts';

const lines = (...numbers: number[]) => new Map([['/app/a.ts', new Set(numbers)]]);

describe('rankSuspiciousLines', () => {
  it('puts lines run only by failing tests first, with Ochiai scores', () => {
    const ranked = rankSuspiciousLines([
      { passed: false, lines: lines(1, 2, 5) },
      { passed: true, lines: lines(1, 2, 3) },
      { passed: true, lines: lines(1, 3) },
    ]);
    expect(ranked[0]).toMatchObject({ line: 5, score: 1, rank: 1 });
    expect(ranked.find((entry) => entry.line === 2)?.score).toBeCloseTo(1 / Math.sqrt(2));
    expect(ranked.some((entry) => entry.line === 3)).toBe(false);
  });

  it('gives tied lines the pessimistic rank', () => {
    const ranked = rankSuspiciousLines([
      { passed: false, lines: lines(7, 8) },
      { passed: true, lines: lines(1) },
    ]);
    expect(ranked.map((entry) => entry.rank)).toEqual([2, 2]);
  });

  it('ranks nothing when no test fails', () => {
    expect(rankSuspiciousLines([{ passed: true, lines: lines(1) }])).toEqual([]);
  });
});
