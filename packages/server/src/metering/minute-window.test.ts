import { describe, expect, it } from 'vitest';
import { MinuteWindow } from './minute-window.ts';

describe('MinuteWindow', () => {
  it('sums what was added in the last minute and forgets older amounts', () => {
    const window = new MinuteWindow();
    const start = 1_700_000_000_000;
    window.add(start, 10);
    window.add(start + 500, 5);
    window.add(start + 30_000, 7);
    expect(window.total(start + 30_000)).toBe(22);
    expect(window.oldest(start + 30_000)).toBe(start);
    // 60 s after the first second: its 15 are out, the 7 from second 30 are in.
    expect(window.total(start + 60_000)).toBe(7);
    expect(window.oldest(start + 60_000)).toBe(start + 30_000);
    expect(window.total(start + 90_000)).toBe(0);
    expect(window.oldest(start + 90_000)).toBeUndefined();
  });

  it('reuses a slot for a later minute without keeping the old amount', () => {
    const window = new MinuteWindow();
    const start = 1_700_000_000_000;
    window.add(start, 100);
    window.add(start + 60_000, 1);
    expect(window.total(start + 60_000)).toBe(1);
  });

  it('holds a million events in constant space and sums them', () => {
    const window = new MinuteWindow();
    const start = 1_700_000_000_000;
    for (let index = 0; index < 1_000_000; index += 1) window.add(start + (index % 60_000), 1);
    expect(window.total(start + 59_999)).toBe(1_000_000);
  });
});
