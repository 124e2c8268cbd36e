import { describe, expect, it } from 'vitest';
import { buildCodeGraph, explainName, type Explanation, type FileFacts } from '@plumb/engines';
import { PlumbError } from '@plumb/protocol';
import { createExplainTool } from './explain-tool.ts';

const options = { toolCallId: 'call_1', messages: [] };

function unit(id: string, line: number) {
  const path = id.slice(0, id.indexOf('#'));
  return { id, name: id.slice(id.indexOf('#') + 1), kind: 'class', path, line, signature: `class ${id}` };
}

// Twelve dependencies and dependents: more than the tool hands to the model by default.
const explanation: Explanation = {
  target: {
    ...unit('src/orders/checkout.ts#CheckoutService', 7),
    targetKind: 'definition',
    language: 'typescript',
  },
  purpose: { text: 'Turns a cart into an order.', at: { path: 'src/orders/checkout.ts', line: 6 } },
  surface: [unit('src/orders/checkout.ts#CheckoutService.place', 12)],
  dependencies: Array.from({ length: 12 }, (_, index) => ({
    unit: unit(`src/dep${index}.ts#Dependency${index}`, index + 1),
    kinds: ['call'],
    count: 12 - index,
    confidence: 1,
    at: Array.from({ length: 5 }, (__, line) => ({ path: 'src/orders/checkout.ts', line: line + 20 })),
  })),
  dependents: [
    {
      unit: unit('src/http/routes.ts#registerRoutes', 3),
      kinds: ['call'],
      count: 1,
      confidence: 0.5,
      at: [{ path: 'src/http/routes.ts', line: 9 }],
    },
  ],
  externalPackages: ['zod'],
  entryPoints: [
    {
      kind: 'http',
      label: 'POST /checkout',
      at: { path: 'src/http/routes.ts', line: 9 },
      via: [unit('src/http/routes.ts#registerRoutes', 3)],
    },
  ],
  tests: [{ path: 'test/checkout.test.ts', line: 4, name: 'places an order' }],
  diagram: 'flowchart LR\n  a --> b',
  warnings: ['4 more dependencies not listed (raise the limit to see them).'],
};

function file(path: string, className: string, references: FileFacts['references'] = []): FileFacts {
  return {
    path,
    language: 'typescript',
    hash: path,
    lines: 10,
    isTest: false,
    definitions: [
      {
        id: `${path}#${className}`,
        name: className,
        qualifiedName: className,
        kind: 'class',
        range: { line: 1, column: 1, endLine: 5, endColumn: 1 },
        signature: `export class ${className}`,
        exported: true,
        extends: [],
        implements: [],
        decorators: [],
        complexity: 1,
      },
    ],
    imports: [],
    references,
    tables: [],
    parseErrors: [],
  };
}

describe('explain tool', () => {
  it('hands the model the facts with citations, without the diagram and with relations limited', async () => {
    const asked: { target: string; limit?: number }[] = [];
    const explain = createExplainTool({
      explain: async (target, limit) => {
        asked.push({ target, ...(limit === undefined ? {} : { limit }) });
        return explanation;
      },
    });
    const output = await explain.execute!({ target: 'CheckoutService' }, options);
    expect(asked).toEqual([{ target: 'CheckoutService', limit: 8 }]);
    expect(output).toMatchObject({
      target: { id: 'src/orders/checkout.ts#CheckoutService', at: 'src/orders/checkout.ts:7' },
      purpose: 'Turns a cart into an order.',
      dependents: [
        { id: 'src/http/routes.ts#registerRoutes', confidence: 0.5, citedAt: ['src/http/routes.ts:9'] },
      ],
      entryPoints: [{ label: 'POST /checkout', at: 'src/http/routes.ts:9', via: ['registerRoutes'] }],
      tests: ['test/checkout.test.ts:4'],
    });
    const facts = output as { dependencies: { id: string; citedAt: string[] }[] };
    expect(facts.dependencies).toHaveLength(8);
    expect(facts.dependencies[0]?.citedAt).toHaveLength(3);
    expect(JSON.stringify(output)).not.toContain('flowchart');

    const wider = await explain.execute!({ target: 'CheckoutService', limit: 11 }, options);
    expect((wider as { dependencies: unknown[] }).dependencies).toHaveLength(11);
  });

  it('answers unknown and ambiguous names with an error listing candidates, from the real resolver', async () => {
    const graph = buildCodeGraph(
      [
        file('src/orders/store.ts', 'Store'),
        file('src/catalog/store.ts', 'Store'),
        file('src/orders/checkout.ts', 'CheckoutService', [
          { name: 'Store', kind: 'call', line: 2, column: 1 },
        ]),
      ],
      1,
    );
    const explain = createExplainTool({
      explain: async (target, limit) => explainName(graph, target, limit === undefined ? {} : { limit }),
    });

    const ambiguous = await explain.execute!({ target: 'Store' }, options);
    expect(ambiguous).toMatchObject({ error: { code: 'symbol_ambiguous' } });
    const ambiguousMessage = (ambiguous as { error: { message: string } }).error.message;
    expect(ambiguousMessage).toContain('src/orders/store.ts#Store');
    expect(ambiguousMessage).toContain('src/catalog/store.ts#Store');

    const unknown = await explain.execute!({ target: 'InventoryLedger' }, options);
    expect(unknown).toMatchObject({ error: { code: 'symbol_not_found' } });
    expect((unknown as { error: { message: string } }).error.message).toContain(
      'Nothing named "InventoryLedger"',
    );

    const found = await explain.execute!({ target: 'src/orders/store.ts#Store' }, options);
    expect(found).toMatchObject({ target: { id: 'src/orders/store.ts#Store', at: 'src/orders/store.ts:1' } });
  });

  it("lets Plumb's own failures through instead of presenting them to the model as answers", async () => {
    const explain = createExplainTool({
      explain: async () => {
        throw new PlumbError('repository_not_found', 'No repository "shop".');
      },
    });
    await expect(explain.execute!({ target: 'CheckoutService' }, options)).rejects.toThrow('No repository');
  });
});
