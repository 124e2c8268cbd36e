import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseDuration } from './parse-duration.ts';

describe('parseDuration', () => {
  it('reads s, m, h, d and w', () => {
    expect(parseDuration('3600s')).toBe(3600);
    expect(parseDuration('90m')).toBe(5400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('30d')).toBe(2_592_000);
    expect(parseDuration('2w')).toBe(1_209_600);
  });

  it('refuses values without a unit, zero and nonsense', () => {
    for (const value of ['30', '0d', '-1d', '1y', 'soon', '']) {
      expect(() => parseDuration(value), value).toThrow(InvalidArgumentError);
    }
  });
});
