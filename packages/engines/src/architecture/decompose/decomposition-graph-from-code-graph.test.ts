import { describe, expect, it } from 'vitest';
import type { CodeGraph, CodeGraphEdge, GraphDefinition } from '../../code-graph/code-graph.ts';
import type { DefinitionFact, FileFacts, TableFact } from '../../code-graph/file-facts.ts';
import { decompositionGraphFromCodeGraph } from './decomposition-graph-from-code-graph.ts';

function definition(
  path: string,
  qualifiedName: string,
  kind: DefinitionFact['kind'],
  parent?: string,
): GraphDefinition {
  const result: GraphDefinition = {
    id: `${path}#${qualifiedName}`,
    path,
    name: qualifiedName.split('.').at(-1)!,
    qualifiedName,
    kind,
    range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    signature: qualifiedName,
    exported: true,
    extends: [],
    implements: [],
    decorators: [],
    complexity: 1,
  };
  if (parent !== undefined) result.parent = `${path}#${parent}`;
  return result;
}

/** A code graph held in plain maps: enough for the builder, which only reads files, definitions and edges. */
function codeGraphOf(
  definitions: GraphDefinition[],
  edges: CodeGraphEdge[],
  files: Partial<FileFacts>[],
): CodeGraph {
  const definitionMap = new Map(definitions.map((entry) => [entry.id, entry]));
  const fileMap = new Map(
    files.map((facts) => [
      facts.path!,
      {
        language: 'typescript',
        hash: '',
        lines: 10,
        isTest: false,
        definitions: [],
        imports: [],
        references: [],
        tables: [],
        parseErrors: [],
        ...facts,
      } as FileFacts,
    ]),
  );
  return {
    revision: 1,
    files: fileMap,
    definitions: definitionMap,
    edges,
    fileDependencies: [],
    externalImports: new Map(),
    outgoing: (id) => edges.filter((edge) => edge.from === id),
    incoming: (id) => edges.filter((edge) => edge.to === id),
    byName: (name) => definitions.filter((entry) => entry.name === name),
    children: (id) => definitions.filter((entry) => entry.parent === id),
  };
}

const ordersFile = 'src/orders/order-service.ts';
const invoiceFile = 'src/billing/invoice.ts';
const testFile = 'src/orders/order-service.test.ts';

function table(name: string, enclosing: string): TableFact {
  return { table: name, operation: 'select', line: 1, enclosing };
}

const codeGraph = codeGraphOf(
  [
    definition(ordersFile, 'OrderService', 'class'),
    definition(ordersFile, 'OrderService.place', 'method', 'OrderService'),
    definition(ordersFile, 'router', 'variable'),
    definition(invoiceFile, 'Invoice', 'class'),
    definition(invoiceFile, 'Invoice.total', 'method', 'Invoice'),
    definition(invoiceFile, 'Billable', 'interface'),
    definition(invoiceFile, 'formatMoney', 'function'),
    definition(invoiceFile, 'InvoiceRow', 'type'),
    definition(testFile, 'testPlace', 'function'),
  ],
  [
    {
      from: `${ordersFile}#OrderService.place`,
      to: `${invoiceFile}#Invoice`,
      kind: 'new',
      count: 2,
      confidence: 1,
    },
    {
      from: `${ordersFile}#OrderService.place`,
      to: `${invoiceFile}#Invoice.total`,
      kind: 'call',
      count: 1,
      confidence: 1,
    },
    {
      from: `${ordersFile}#router`,
      to: `${ordersFile}#OrderService.place`,
      kind: 'call',
      count: 1,
      confidence: 1,
    },
    {
      from: `${testFile}#testPlace`,
      to: `${ordersFile}#OrderService`,
      kind: 'call',
      count: 5,
      confidence: 1,
    },
    {
      from: `${invoiceFile}#Invoice`,
      to: `${invoiceFile}#Billable`,
      kind: 'inherit',
      count: 1,
      confidence: 1,
    },
    {
      from: `${invoiceFile}#Invoice.total`,
      to: `${invoiceFile}#Invoice`,
      kind: 'type',
      count: 1,
      confidence: 1,
    },
    {
      from: `${ordersFile}#OrderService.place`,
      to: `${invoiceFile}#formatMoney`,
      kind: 'call',
      count: 2,
      confidence: 0.5,
    },
  ],
  [
    { path: ordersFile, tables: [table('orders', `${ordersFile}#OrderService.place`)] },
    { path: invoiceFile, tables: [table('ORDERS', `${invoiceFile}#Invoice.total`)] },
    { path: testFile, isTest: true, tables: [table('orders', `${testFile}#testPlace`)] },
  ],
);

describe('decompositionGraphFromCodeGraph', () => {
  it('folds methods into classes and module-level code into a file node, without tests', () => {
    const graph = decompositionGraphFromCodeGraph(codeGraph, { countScaling: 'linear' });
    expect(graph.units.map((unit) => `${unit.kind} ${unit.id}`)).toEqual([
      `interface ${invoiceFile}#Billable`,
      `class ${invoiceFile}#Invoice`,
      `function ${invoiceFile}#formatMoney`,
      `module ${ordersFile}#`,
      `class ${ordersFile}#OrderService`,
    ]);
    const edges = graph.edges.map(
      (edge) => `${edge.from} -${edge.kind}-> ${edge.to} ×${edge.count} w${edge.weight}`,
    );
    expect(edges).toEqual([
      `${invoiceFile}#Invoice -inherit-> ${invoiceFile}#Billable ×1 w1.5`,
      `${invoiceFile}#Invoice -table-> ${ordersFile}#OrderService ×1 w1`,
      `${ordersFile}# -call-> ${ordersFile}#OrderService ×1 w1`,
      `${ordersFile}#OrderService -call-> ${invoiceFile}#Invoice ×1 w1`,
      `${ordersFile}#OrderService -new-> ${invoiceFile}#Invoice ×2 w2`,
      // Ambiguous references count by their confidence.
      `${ordersFile}#OrderService -call-> ${invoiceFile}#formatMoney ×2 w1`,
    ]);
    expect(
      graph.edges.find((edge) => edge.kind === 'call' && edge.to.endsWith('#Invoice'))?.operations,
    ).toEqual(['Invoice.total']);
    expect(graph.tableUses.map((use) => `${use.table} ${use.unit}`)).toEqual([
      `orders ${invoiceFile}#Invoice`,
      `orders ${ordersFile}#OrderService`,
    ]);
  });

  it('applies custom weights and, by default, logarithmic count scaling, and can keep tests', () => {
    const graph = decompositionGraphFromCodeGraph(codeGraph, {
      weights: { new: 3 },
      includeTests: true,
    });
    const instantiation = graph.edges.find((edge) => edge.kind === 'new');
    expect(instantiation?.weight).toBeCloseTo(3 * (1 + Math.log(2)));
    expect(graph.units.some((unit) => unit.id === `${testFile}#testPlace`)).toBe(true);
  });

  it('reports a table with too many users as shared without linking them', () => {
    const graph = decompositionGraphFromCodeGraph(codeGraph, { maximumTableUsers: 1 });
    expect(graph.edges.some((edge) => edge.kind === 'table')).toBe(false);
    expect(graph.warnings.join('\n')).toContain('"orders"');
  });
});
