import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildBreakpointCondition } from './build-breakpoint-condition.ts';

/** Evaluates a condition the way V8 would in a paused frame: these locals, plus the agent's helpers. */
function evaluate(condition: string, context: vm.Context): unknown {
  return vm.runInContext(condition, context);
}

describe('buildBreakpointCondition', () => {
  it('is undefined for a plain breakpoint', () => {
    expect(buildBreakpointCondition({ line: 1 }, 1)).toBeUndefined();
  });

  it('counts hits only when the condition holds', () => {
    const context = vm.createContext({ __plumbHits: {}, x: 0 });
    const condition =
      buildBreakpointCondition({ line: 1, condition: 'x > 1', hitCondition: '>= 2' }, 9) ?? '';
    const results = [0, 2, 1, 3, 4].map((x) => {
      context.x = x;
      return evaluate(condition, context);
    });
    expect(results).toEqual([false, false, false, true, true]);
  });

  it('logs interpolated messages and never stops at a logpoint', () => {
    const logged: string[] = [];
    const context = vm.createContext({
      __plumbLogpoint: (message: string) => logged.push(message),
      __plumbFormat: (value: unknown) => JSON.stringify(value),
      sum: 5,
      items: [1, 2],
    });
    const condition =
      buildBreakpointCondition({ line: 1, logMessage: 'sum `is` {sum} of {items.length}' }, 2) ?? '';
    expect(evaluate(condition, context)).toBe(false);
    expect(logged).toEqual(['sum `is` 5 of 2']);
  });

  it('rejects a hit condition it does not understand', () => {
    expect(() => buildBreakpointCondition({ line: 1, hitCondition: 'often' }, 3)).toThrow(/Hit condition/);
  });
});
