import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCodeGraph } from '../build-code-graph.ts';
import type { CodeGraph } from '../code-graph.ts';
import { createMemoryCodeGraphStore } from '../create-memory-code-graph-store.ts';
import { indexRepository } from '../index-repository.ts';
import { explainName } from './explain-name.ts';
import { formatExplanation } from './format-explanation.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const monolith = path.join(here, '../../../fixtures/monolith');

interface ExpectedSymbol {
  id: string;
  file: string;
  line: number;
  publicMethods: string[];
  dependencies: string[];
  dependents: string[];
  entryPoints: { kind: string; file: string; line: number; via: string[]; staticallyVisible: boolean }[];
  tests: string[];
}
const expected = JSON.parse(readFileSync(path.join(monolith, 'expected-structure.json'), 'utf8')) as {
  symbols: Record<string, ExpectedSymbol>;
};

async function graphOf(root: string): Promise<CodeGraph> {
  const store = createMemoryCodeGraphStore();
  const result = await indexRepository({ root, store, repository: 'test' });
  return buildCodeGraph(await store.loadFiles('test'), result.revision);
}

describe('explainName on the sample monolith', () => {
  let graph: CodeGraph;
  beforeAll(async () => {
    graph = await graphOf(monolith);
  }, 120_000);

  for (const [name, symbol] of Object.entries(expected.symbols)) {
    it(`lists the known dependencies, dependents, entry points and tests of ${name}`, () => {
      const explanation = explainName(graph, name, { limit: 100 });
      expect(explanation.target).toMatchObject({ id: symbol.id, path: symbol.file, line: symbol.line });
      expect(explanation.purpose?.text).toBeTruthy();
      const surface = explanation.surface.map((unit) => unit.name.split('.').pop());
      expect(surface).toEqual(expect.arrayContaining(symbol.publicMethods));

      const dependencies = explanation.dependencies.map((relation) => relation.unit.id);
      expect(dependencies).toEqual(expect.arrayContaining(symbol.dependencies));
      const dependents = explanation.dependents
        .map((relation) => relation.unit.id)
        .filter((id) => !graph.files.get(id.slice(0, id.indexOf('#')))?.isTest);
      expect(dependents.sort()).toEqual(expect.arrayContaining(symbol.dependents));

      const reached = explanation.entryPoints.map((entry) => `${entry.at.path}:${entry.at.line}`);
      for (const entry of symbol.entryPoints.filter(
        (point) => point.staticallyVisible && point.kind === 'http',
      ))
        expect(reached).toContain(`${entry.file}:${entry.line}`);

      expect(explanation.tests.map((test) => test.path)).toEqual(expect.arrayContaining(symbol.tests));
      // Every relation cites real lines of real files.
      for (const relation of [...explanation.dependencies, ...explanation.dependents])
        for (const citation of relation.at) {
          expect(graph.files.has(citation.path)).toBe(true);
          expect(citation.line).toBeGreaterThan(0);
        }
    });
  }

  it('writes a Markdown report with citations and a Mermaid diagram', () => {
    const report = formatExplanation(explainName(graph, 'CheckoutService'));
    expect(report).toMatch(/^# CheckoutService \(class\)/);
    expect(report).toContain('src/orders/checkout-service.ts:49');
    expect(report).toContain('```mermaid\nflowchart LR');
  });

  it('explains a qualified method, a file and a folder', () => {
    expect(explainName(graph, 'InvoiceService.createForOrder').target.kind).toBe('method');
    const file = explainName(graph, 'src/orders/checkout-service.ts');
    expect(file.target.targetKind).toBe('file');
    expect(file.surface.map((unit) => unit.name)).toContain('CheckoutService');
    const folder = explainName(graph, 'src/billing');
    expect(folder.target.targetKind).toBe('folder');
    expect(folder.dependents.length).toBeGreaterThan(0);
  });

  it('finds a misspelt name, and lists candidates for unknown and ambiguous ones', () => {
    expect(explainName(graph, 'ChekoutService').target.id).toBe(expected.symbols.CheckoutService!.id);
    expect(() => explainName(graph, 'NoSuchThingAnywhere')).toThrow(
      expect.objectContaining({ code: 'symbol_not_found' }),
    );
    expect(() => explainName(graph, '')).toThrow(expect.objectContaining({ code: 'symbol_not_found' }));
    // Several classes have a method called `insert`: the answer names them rather than guessing.
    expect(() => explainName(graph, 'insert')).toThrow(expect.objectContaining({ code: 'symbol_ambiguous' }));
  });
});

describe('explainName on this repository', () => {
  it('lists the callers and callees of explainName itself', async () => {
    const graph = await graphOf(path.join(here, '..'));
    const explanation = explainName(graph, 'explainName', { limit: 50 });
    expect(explanation.target.path).toBe('explain/explain-name.ts');
    const dependencies = explanation.dependencies.map((relation) => relation.unit.name);
    expect(dependencies).toEqual(expect.arrayContaining(['resolveTarget', 'explainTarget']));
    expect(explanation.tests.map((test) => test.path)).toContain('explain/explain-name.test.ts');
    const resolver = explainName(graph, 'resolveTarget', { limit: 50 });
    expect(resolver.dependents.map((relation) => relation.unit.name)).toContain('explainName');
    expect(resolver.target.path).toBe('explain/resolve-target.ts');
  }, 120_000);
});
