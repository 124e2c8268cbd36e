import { describe, expect, it } from 'vitest';
import { accuracy } from './decomposition-accuracy.ts';
import type { DecompositionEdge } from './decomposition-graph.ts';
import { decompositionMetrics } from './decomposition-metrics.ts';

const edges: DecompositionEdge[] = [
  { from: 'a1', to: 'a2', kind: 'call', count: 2, weight: 2 },
  { from: 'a2', to: 'a1', kind: 'type', count: 1, weight: 0.4 },
  { from: 'a1', to: 'b1', kind: 'call', count: 1, weight: 1 },
  { from: 'b1', to: 'a1', kind: 'call', count: 1, weight: 1 },
  // Shared tables are data coupling, not dependencies: no metric counts them.
  { from: 'a2', to: 'b1', kind: 'table', count: 1, weight: 1 },
];

describe('decompositionMetrics', () => {
  it('computes SM, ICP, IFN, NED and BCP by their published definitions', () => {
    const metrics = decompositionMetrics([['a1', 'a2'], ['b1']], edges, {
      nedBounds: [2, 20],
      businessContexts: { a1: 'x', a2: 'y', b1: 'z' },
    });
    // scoh_A = 2/2² = 0.5, scoh_B = 0, scop_AB = 2/(2·2·1) = 0.5: SM = 0.5/2 − 0.5/1.
    expect(metrics.sm).toBeCloseTo(-0.25);
    // Calls: 2 inside, 1 + 1 across.
    expect(metrics.icp).toBeCloseTo(0.5);
    // a1 is called from B, b1 from A: one interface each.
    expect(metrics.ifn).toBeCloseTo(1);
    // Only A (2 units) is within [2, 20].
    expect(metrics.ned).toBeCloseTo(2 / 3);
    // A mixes two contexts evenly (1 bit), B is pure.
    expect(metrics.bcp).toBeCloseTo(0.5);
  });

  it('gives a single perfect service SM = cohesion and ICP = 0, and leaves BCP out without contexts', () => {
    const metrics = decompositionMetrics([['a1', 'a2', 'b1']], edges);
    expect(metrics.sm).toBeCloseTo(4 / 9);
    expect(metrics.icp).toBe(0);
    expect(metrics.ifn).toBe(0);
    expect(metrics.ned).toBe(0);
    expect(metrics).not.toHaveProperty('bcp');
  });

  it('ignores units in no service (the shared kernel)', () => {
    const metrics = decompositionMetrics([['a1', 'a2']], edges);
    expect(metrics.icp).toBe(0);
    expect(metrics.sm).toBeCloseTo(0.5);
  });
});

describe('accuracy', () => {
  const expected = { u1: 'orders', u2: 'orders', u3: 'orders', u4: 'orders', v1: 'billing', v2: 'billing' };

  it('maps clusters one-to-one (Hungarian), so a split service is only half right', () => {
    const split = { u1: 'c1', u2: 'c1', u3: 'c2', u4: 'c2', v1: 'c3', v2: 'c3' };
    const result = accuracy(split, expected);
    expect(result.accuracy).toBeCloseTo(4 / 6);
    expect(result.mapping.c3).toBe('billing');
    expect(accuracy(split, expected, { mapping: 'majority' }).accuracy).toBe(1);
  });

  it('prefers the matching with the most shared units over a greedy one', () => {
    // Greedy on the largest overlap maps c1 → A (3) and leaves c2 → B (0): 3 correct. The optimum is 4.
    const assignment = { u1: 'c1', u2: 'c1', u3: 'c1', v1: 'c1', v2: 'c1', u4: 'c2', u5: 'c2' };
    const truth = { u1: 'A', u2: 'A', u3: 'A', v1: 'B', v2: 'B', u4: 'A', u5: 'A' };
    const result = accuracy(assignment, truth);
    expect(result.mapping).toEqual({ c1: 'B', c2: 'A' });
    expect(result.correct).toBe(4);
  });

  it('counts unassigned units as wrong and lists them', () => {
    const result = accuracy({ u1: 'x', u2: 'x', u3: 'x', v1: 'y' }, expected);
    expect(result.unassigned).toEqual(['u4', 'v2']);
    expect(result.accuracy).toBeCloseTo(4 / 6);
    expect(accuracy({}, {}).accuracy).toBe(0);
  });
});
