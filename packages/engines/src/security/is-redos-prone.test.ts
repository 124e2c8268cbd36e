import { describe, expect, it } from 'vitest';
import { isRedosProne } from './is-redos-prone.ts';

describe('isRedosProne', () => {
  it.each([
    '^(a+)+$',
    '(\\w+\\s?)*$',
    '^([a-zA-Z0-9_.-]+)*@example\\.com$',
    '(a|aa)+b',
    '^(-?\\d+)+$',
    '^([^,]+,?)+$',
    '^([a-z]{1,8})+$',
    '\\[((?:\\w|\\s|\\w\\s)*)\\]',
  ])('flags %s', (source) => {
    expect(isRedosProne(source)).toBe(true);
  });

  it.each([
    '^[a-z0-9]+(?:-[a-z0-9]+)*$',
    '^(\\d+\\.)+\\d+$',
    '^[^,]+(,[^,]+)*$',
    '^\\w+(\\.[^.\\s]+)+$',
    '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$',
    '^(\\d{3})+$',
    '\\[([^\\]]*)\\]\\(([^)]+)\\)',
    "'(?:[^'\\\\]|\\\\.)*'",
    '"([^"\\\\]*(?:\\\\.[^"\\\\]*)*)"',
    '^(\\d+|\\w+)(\\.\\w+|\\[[^]]+\\])*$',
    '',
    '(((',
    ')))+',
  ])('accepts %s', (source) => {
    expect(isRedosProne(source)).toBe(false);
  });

  it('answers quickly on a long pattern', () => {
    const started = performance.now();
    isRedosProne('(a|b)'.repeat(5000));
    expect(performance.now() - started).toBeLessThan(500);
  });
});
