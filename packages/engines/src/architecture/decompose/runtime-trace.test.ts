import { PlumbError } from '@plumb/protocol';
import { describe, expect, it } from 'vitest';
import type { DecompositionGraph } from './decomposition-graph.ts';
import { mergeRuntimeTrace, parseRuntimeTrace } from './runtime-trace.ts';

const graph: DecompositionGraph = {
  units: [
    {
      id: 'src/orders/OrderService.java#OrderService',
      name: 'OrderService',
      kind: 'class',
      path: 'src/orders/OrderService.java',
    },
    {
      id: 'src/billing/BillingService.java#BillingService',
      name: 'BillingService',
      kind: 'class',
      path: 'src/billing/BillingService.java',
    },
    {
      id: 'src/billing/Invoice.java#Invoice',
      name: 'Invoice',
      kind: 'class',
      path: 'src/billing/Invoice.java',
    },
  ],
  edges: [
    {
      from: 'src/orders/OrderService.java#OrderService',
      to: 'src/billing/Invoice.java#Invoice',
      kind: 'call',
      count: 1,
      weight: 1,
    },
    {
      from: 'src/billing/BillingService.java#BillingService',
      to: 'src/billing/Invoice.java#Invoice',
      kind: 'type',
      count: 1,
      weight: 0.4,
    },
  ],
  tableUses: [],
  warnings: [],
};

function errorOf(action: () => unknown): PlumbError {
  try {
    action();
  } catch (error) {
    if (error instanceof PlumbError) return error;
    throw error;
  }
  throw new Error('expected a PlumbError');
}

describe('parseRuntimeTrace', () => {
  it('names the bad field of an invalid trace', () => {
    const zeroCount = errorOf(() =>
      parseRuntimeTrace({
        calls: [
          { from: 'a', to: 'b', count: 2 },
          { from: 'a', to: 'b', count: 0 },
        ],
      }),
    );
    expect(zeroCount.code).toBe('invalid_request');
    expect(zeroCount.param).toBe('trace.calls.1.count');
    expect(errorOf(() => parseRuntimeTrace({ calls: 'x' })).param).toBe('trace.calls');
    expect(errorOf(() => parseRuntimeTrace([], 'body.trace')).param).toBe('body.trace');
    expect(errorOf(() => parseRuntimeTrace({ calls: [{ from: '', to: 'b', count: 1 }] })).param).toBe(
      'trace.calls.0.from',
    );
  });

  it('accepts a well-formed trace', () => {
    expect(parseRuntimeTrace({ calls: [{ from: 'a', to: 'b', count: 3 }] }).calls).toHaveLength(1);
  });
});

describe('mergeRuntimeTrace', () => {
  const trace = parseRuntimeTrace({
    calls: [
      {
        from: 'com.acme.orders.OrderService.place',
        to: 'src/billing/BillingService.java#BillingService.charge',
        count: 5,
      },
      { from: 'OrderService.place', to: 'BillingService.charge', count: 2 },
      { from: 'OrderService', to: 'java.util.List.add', count: 9 },
      { from: 'Invoice.total', to: 'Invoice.lines', count: 4 },
    ],
  });

  it('adds traced calls between units, resolving ids and qualified names, and warns about unknown names', () => {
    const merged = mergeRuntimeTrace(graph, trace);
    const traced = merged.edges.filter((edge) => edge.kind === 'trace');
    expect(traced).toEqual([
      {
        from: 'src/orders/OrderService.java#OrderService',
        to: 'src/billing/BillingService.java#BillingService',
        kind: 'trace',
        count: 7,
        weight: 7,
        operations: ['BillingService.charge'],
      },
    ]);
    expect(merged.warnings.join('\n')).toContain('java.util.List.add');
    expect(merged.edges).toHaveLength(3);
  });

  it('can replace static calls with the trace', () => {
    const merged = mergeRuntimeTrace(graph, trace, { replaceStaticCalls: true, weight: 0.5 });
    expect(merged.edges.map((edge) => edge.kind).sort()).toEqual(['trace', 'type']);
    expect(merged.edges.find((edge) => edge.kind === 'trace')?.weight).toBe(3.5);
  });
});
