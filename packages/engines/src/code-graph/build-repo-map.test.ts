import { describe, expect, it } from 'vitest';
import { buildCodeGraph } from './build-code-graph.ts';
import { buildRepoMap, estimateTokens } from './build-repo-map.ts';
import type { DefinitionFact, FileFacts, ReferenceFact } from './file-facts.ts';
import { personalizedPageRank } from './personalized-page-rank.ts';

function definition(path: string, qualifiedName: string, line: number, signature: string): DefinitionFact {
  const dot = qualifiedName.lastIndexOf('.');
  return {
    id: `${path}#${qualifiedName}`,
    name: qualifiedName.slice(dot + 1),
    qualifiedName,
    kind: dot === -1 ? 'class' : 'method',
    range: { line, column: 1, endLine: line + 1, endColumn: 1 },
    signature,
    exported: true,
    ...(dot === -1 ? {} : { parent: `${path}#${qualifiedName.slice(0, dot)}` }),
    extends: [],
    implements: [],
    decorators: [],
    complexity: 1,
  };
}

function file(path: string, definitions: DefinitionFact[], references: ReferenceFact[] = []): FileFacts {
  return {
    path,
    language: 'typescript',
    hash: path,
    lines: 20,
    isTest: false,
    definitions,
    imports: [],
    references,
    tables: [],
    parseErrors: [],
  };
}

const call = (name: string, receiver: string, count = 1): ReferenceFact[] =>
  Array.from({ length: count }, (_, index) => ({ name, receiver, kind: 'call', line: index + 1, column: 1 }));

// A shop: orders and billing are used by the api; payments only by billing; the reports module by nobody.
const graph = buildCodeGraph(
  [
    file('src/orders.ts', [
      definition('src/orders.ts', 'Orders', 1, 'export class Orders'),
      definition('src/orders.ts', 'Orders.place', 2, 'place(order: Order): Receipt'),
      definition('src/orders.ts', 'Orders.cancel', 5, 'cancel(id: string): void'),
    ]),
    file(
      'src/billing.ts',
      [
        definition('src/billing.ts', 'Billing', 1, 'export class Billing'),
        definition('src/billing.ts', 'Billing.invoice', 2, 'invoice(order: Order): Invoice'),
      ],
      call('charge', 'Payments'),
    ),
    file('src/payments.ts', [
      definition('src/payments.ts', 'Payments', 1, 'export class Payments'),
      definition('src/payments.ts', 'Payments.charge', 2, 'static charge(amount: number): void'),
    ]),
    file('src/reports.ts', [
      definition('src/reports.ts', 'Reports', 1, 'export class Reports'),
      definition('src/reports.ts', 'Reports.monthly', 2, 'monthly(month: number): Report'),
    ]),
    file(
      'src/api.ts',
      [],
      [...call('place', 'Orders', 4), ...call('cancel', 'Orders'), ...call('invoice', 'Billing', 2)],
    ),
  ],
  1,
);

describe('buildRepoMap', () => {
  it('ranks used definitions above unused ones and renders path then signatures under their class', () => {
    const map = buildRepoMap({ graph, tokenBudget: 10_000 });
    const order = map.definitions.map((entry) => entry.id);
    // Billing's whole rank flows to the one thing it uses; the api's is shared by three definitions.
    expect(order.slice(0, 2)).toEqual(['src/payments.ts#Payments.charge', 'src/orders.ts#Orders.place']);
    expect(order.indexOf('src/orders.ts#Orders.place')).toBeLessThan(
      order.indexOf('src/orders.ts#Orders.cancel'),
    );
    expect(order.indexOf('src/reports.ts#Reports.monthly')).toBeGreaterThan(
      order.indexOf('src/billing.ts#Billing.invoice'),
    );
    expect(map.text).toContain(
      'src/orders.ts:\n  export class Orders\n    place(order: Order): Receipt\n    cancel(id: string): void\n',
    );
    expect(map.text.startsWith('src/payments.ts:\n')).toBe(true);
    expect(map.text).toContain('src/reports.ts:');
    expect(map.omitted).toBe(0);
    expect(map.tokens).toBe(estimateTokens(map.text));
  });

  it('personalises the ranking to the focus files and identifiers', () => {
    const focused = buildRepoMap({ graph, focusFiles: ['src/billing.ts'], tokenBudget: 10_000 });
    expect(focused.definitions[0]?.id).toBe('src/payments.ts#Payments.charge');
    const byIdentifier = buildRepoMap({ graph, focusIdentifiers: ['monthly'], tokenBudget: 10_000 });
    expect(byIdentifier.definitions[0]?.id).toBe('src/reports.ts#Reports.monthly');
  });

  it('fits the token budget with as many definitions as possible', () => {
    const full = buildRepoMap({ graph, tokenBudget: 10_000 });
    let previous = 0;
    for (let budget = 0; budget <= full.tokens; budget += 1) {
      const map = buildRepoMap({ graph, tokenBudget: budget });
      expect(map.tokens).toBeLessThanOrEqual(budget);
      expect(map.definitions.length).toBeGreaterThanOrEqual(previous);
      // Maximal: the next budget that admits more definitions needs more tokens than this one had.
      if (map.definitions.length > previous) expect(map.tokens).toBeGreaterThan(budget - 20);
      previous = map.definitions.length;
      expect(map.definitions.map((entry) => entry.id)).toEqual(
        full.definitions.slice(0, map.definitions.length).map((entry) => entry.id),
      );
    }
    expect(previous).toBe(full.definitions.length);
    expect(buildRepoMap({ graph, tokenBudget: 0 }).text).toBe('');
    expect(buildRepoMap({ graph, tokenBudget: full.tokens - 1 }).omitted).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const first = buildRepoMap({ graph, focusFiles: ['src/api.ts'], tokenBudget: 50 });
    const second = buildRepoMap({ graph, focusFiles: ['src/api.ts'], tokenBudget: 50 });
    expect(second).toEqual(first);
  });
});

describe('personalizedPageRank', () => {
  it('sums to one and favours the node everyone links to', () => {
    const ranks = personalizedPageRank(4, [
      { from: 0, to: 3, weight: 1 },
      { from: 1, to: 3, weight: 1 },
      { from: 2, to: 3, weight: 1 },
    ]);
    expect(ranks.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 9);
    expect(Math.max(...ranks)).toBe(ranks[3]);
  });

  it('restarts at the personalised nodes', () => {
    const edges = [
      { from: 0, to: 1, weight: 1 },
      { from: 2, to: 3, weight: 1 },
    ];
    const ranks = personalizedPageRank(4, edges, [1, 0, 0, 0]);
    expect(ranks[1]).toBeGreaterThan(0.3);
    expect(ranks[3]).toBe(0);
    expect(personalizedPageRank(0, [])).toEqual([]);
  });
});
