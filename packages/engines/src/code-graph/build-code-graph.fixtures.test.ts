import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCodeGraph } from './build-code-graph.ts';
import { buildRepoMap } from './build-repo-map.ts';
import type { CodeGraph } from './code-graph.ts';
import { createMemoryCodeGraphStore } from './create-memory-code-graph-store.ts';
import { indexRepository } from './index-repository.ts';

/** Index a fixture with the real extractor and resolve it: the whole pipeline on real source files. */
async function graphOf(language: string): Promise<CodeGraph> {
  const store = createMemoryCodeGraphStore();
  const root = path.join(import.meta.dirname, 'testdata', 'graph', language);
  const result = await indexRepository({ root, store, repository: language });
  return buildCodeGraph(await store.loadFiles(language), result.revision, {
    importConfig: result.importConfig,
  });
}

const edgesOf = (graph: CodeGraph): string[] =>
  graph.edges.map((edge) => `${edge.from} -${edge.kind}-> ${edge.to}`).sort();
const dependenciesOf = (graph: CodeGraph): string[] =>
  graph.fileDependencies.map((dependency) => `${dependency.from} -> ${dependency.to}`).sort();

describe('buildCodeGraph on indexed fixtures', () => {
  it('TypeScript: tsconfig paths, barrels, constructor-typed fields, inherited members', async () => {
    const graph = await graphOf('typescript');
    expect(edgesOf(graph)).toEqual(
      expect.arrayContaining([
        'src/api.test.ts# -call-> src/api.ts#handle',
        'src/api.ts#handle -call-> src/orders/order-service.ts#OrderService.place',
        'src/api.ts#handle -new-> src/db/order-repository.ts#OrderRepository',
        'src/api.ts#handle -new-> src/orders/order-service.ts#OrderService',
        'src/orders/order-service.ts#OrderService -inherit-> src/base-service.ts#BaseService',
        'src/orders/order-service.ts#OrderService.place -call-> src/base-service.ts#BaseService.audit',
        'src/orders/order-service.ts#OrderService.place -call-> src/db/order-repository.ts#OrderRepository.save',
      ]),
    );
    expect(dependenciesOf(graph)).toEqual([
      'src/api.test.ts -> src/api.ts',
      'src/api.ts -> src/index.ts',
      'src/index.ts -> src/db/order-repository.ts',
      'src/index.ts -> src/orders/order-service.ts',
      'src/orders/order-service.ts -> src/base-service.ts',
      'src/orders/order-service.ts -> src/db/order-repository.ts',
    ]);
    expect(graph.externalImports.get('src/api.ts')).toEqual(['express']);
    const map = buildRepoMap({ graph, focusFiles: ['src/api.ts'], tokenBudget: 60 });
    expect(map.text).toContain('src/orders/order-service.ts:');
    expect(map.tokens).toBeLessThanOrEqual(60);
  });

  it('Python: package re-exports, relative imports, self and typed attributes', async () => {
    const graph = await graphOf('python');
    expect(edgesOf(graph)).toEqual(
      expect.arrayContaining([
        'main.py#main -call-> shop/models.py#Order',
        'main.py#main -call-> shop/service.py#Checkout',
        'main.py#main -call-> shop/service.py#Checkout.run',
        'shop/service.py#Checkout.run -call-> shop/models.py#Order.total',
        'shop/service.py#Checkout.run -call-> shop/service.py#Checkout.validate',
      ]),
    );
    expect(dependenciesOf(graph)).toEqual([
      'main.py -> shop/models.py',
      'main.py -> shop/service.py',
      'shop/__init__.py -> shop/models.py',
      'shop/service.py -> shop/__init__.py',
    ]);
    expect(graph.externalImports.get('shop/service.py')).toEqual(['os']);
  });

  it('Java: wildcard imports, same-package names, implicit this and inherited members', async () => {
    const graph = await graphOf('java');
    const prefix = 'src/main/java/com/acme/';
    expect(edgesOf(graph).map((edge) => edge.replaceAll(prefix, ''))).toEqual(
      expect.arrayContaining([
        'billing/Invoice.java#Invoice -inherit-> billing/Document.java#Document',
        'billing/Invoice.java#Invoice.print -call-> billing/Document.java#Document.stamp',
        'billing/Invoice.java#Invoice.print -call-> billing/Invoice.java#Invoice.total',
        'orders/OrderService.java#OrderService.bill -call-> billing/Invoice.java#Invoice.print',
      ]),
    );
    expect(dependenciesOf(graph).map((edge) => edge.replaceAll(prefix, ''))).toEqual([
      'orders/OrderService.java -> billing/Invoice.java',
    ]);
    expect(graph.externalImports.get(`${prefix}orders/OrderService.java`)).toEqual(['java.util']);
  });

  it('Go: module path from go.mod, package selectors and method receivers', async () => {
    const graph = await graphOf('go');
    expect(edgesOf(graph)).toEqual(
      expect.arrayContaining([
        'main.go#main -call-> main.go#run',
        'main.go#main -call-> orders/store.go#NewStore',
        'main.go#run -call-> orders/store.go#Store.Save',
      ]),
    );
    expect(dependenciesOf(graph)).toEqual(['main.go -> orders/store.go']);
    expect(graph.externalImports.get('main.go')).toEqual(['fmt']);
  });
});
