import { describe, expect, it } from 'vitest';
import { buildCodeGraph } from './build-code-graph.ts';
import type { CodeGraph } from './code-graph.ts';
import type {
  CodeLanguage,
  DefinitionFact,
  DefinitionKind,
  FileFacts,
  ImportFact,
  ReferenceFact,
} from './file-facts.ts';

/** Hand-written facts, shaped as the extractor writes them. */
function file(
  path: string,
  language: CodeLanguage,
  parts: {
    packageName?: string;
    definitions?: DefinitionFact[];
    imports?: Partial<ImportFact>[];
    references?: (Omit<ReferenceFact, 'line' | 'column' | 'kind'> & { kind?: ReferenceFact['kind'] })[];
  } = {},
): FileFacts {
  return {
    path,
    language,
    hash: path,
    lines: 10,
    ...(parts.packageName === undefined ? {} : { packageName: parts.packageName }),
    isTest: path.includes('test'),
    definitions: parts.definitions ?? [],
    imports: (parts.imports ?? []).map((fact, index) => ({
      specifier: '',
      names: [],
      line: index + 1,
      kind: 'static',
      typeOnly: false,
      ...fact,
    })),
    references: (parts.references ?? []).map((reference, index) => ({
      kind: 'call',
      line: index + 1,
      column: 1,
      ...reference,
    })),
    tables: [],
    parseErrors: [],
  };
}

function definition(
  path: string,
  qualifiedName: string,
  kind: DefinitionKind,
  extra: Partial<DefinitionFact> = {},
): DefinitionFact {
  const parentName = qualifiedName.includes('.')
    ? qualifiedName.slice(0, qualifiedName.lastIndexOf('.'))
    : undefined;
  return {
    id: `${path}#${qualifiedName}`,
    name: qualifiedName.split('.').at(-1) ?? qualifiedName,
    qualifiedName,
    kind,
    range: { line: extra.range?.line ?? 1, column: 1, endLine: 2, endColumn: 1 },
    signature: qualifiedName,
    exported: true,
    ...(parentName === undefined ? {} : { parent: `${path}#${parentName}` }),
    extends: [],
    implements: [],
    decorators: [],
    complexity: 1,
    ...extra,
  };
}

const targetsOf = (graph: CodeGraph, from: string): string[] =>
  graph
    .outgoing(from)
    .map((edge) => `${edge.kind}:${edge.to}`)
    .sort();

describe('buildCodeGraph (TypeScript)', () => {
  const files = [
    file('src/orders/order-service.ts', 'typescript', {
      definitions: [
        definition('src/orders/order-service.ts', 'OrderService', 'class', { extends: ['BaseService'] }),
        definition('src/orders/order-service.ts', 'OrderService.constructor', 'constructor', {
          signature: 'constructor(private readonly repository: OrderRepository)',
          range: { line: 3, column: 1, endLine: 3, endColumn: 1 },
        }),
        definition('src/orders/order-service.ts', 'OrderService.place', 'method', {
          range: { line: 5, column: 1, endLine: 9, endColumn: 1 },
        }),
        definition('src/orders/order-service.ts', 'OrderService.create', 'method'),
      ],
      imports: [
        { specifier: '../base', names: [{ imported: 'BaseService', local: 'BaseService' }] },
        {
          specifier: '@app/db/order-repository',
          names: [{ imported: 'OrderRepository', local: 'OrderRepository' }],
        },
        { specifier: 'lodash', names: [{ imported: 'get', local: 'get' }] },
      ],
      references: [
        {
          name: 'save',
          receiver: 'this.repository',
          enclosing: 'src/orders/order-service.ts#OrderService.place',
        },
        { name: 'audit', receiver: 'this', enclosing: 'src/orders/order-service.ts#OrderService.place' },
        { name: 'get', enclosing: 'src/orders/order-service.ts#OrderService.place' },
        { name: 'BaseService', kind: 'inherit', enclosing: 'src/orders/order-service.ts#OrderService' },
      ],
    }),
    file('src/base.ts', 'typescript', {
      definitions: [
        definition('src/base.ts', 'BaseService', 'class'),
        definition('src/base.ts', 'BaseService.audit', 'method'),
      ],
    }),
    file('src/db/order-repository.ts', 'typescript', {
      definitions: [
        definition('src/db/order-repository.ts', 'OrderRepository', 'class'),
        definition('src/db/order-repository.ts', 'OrderRepository.save', 'method'),
      ],
    }),
    file('src/index.ts', 'typescript', {
      imports: [
        {
          specifier: './orders/order-service.js',
          names: [{ imported: 'OrderService', local: 'OrderService' }],
          kind: 'reexport',
        },
        { specifier: './db/order-repository', names: [{ imported: '*', local: '*' }], kind: 'reexport' },
      ],
    }),
    file('src/api.ts', 'typescript', {
      definitions: [
        definition('src/api.ts', 'handle', 'function'),
        definition('src/api.ts', 'get', 'function'),
      ],
      imports: [
        { specifier: './index', names: [{ imported: 'OrderService', local: 'Orders' }] },
        {
          specifier: '.',
          names: [{ imported: 'OrderRepository', local: 'OrderRepository' }],
          typeOnly: true,
        },
        { specifier: './base', names: [{ imported: '*', local: 'base' }] },
      ],
      references: [
        { name: 'create', receiver: 'Orders', enclosing: 'src/api.ts#handle' },
        { name: 'place', receiver: 'newOrders()', enclosing: 'src/api.ts#handle' },
        { name: 'BaseService', receiver: 'base', kind: 'type', enclosing: 'src/api.ts#handle' },
        { name: 'OrderRepository', kind: 'type' },
        { name: 'get', enclosing: 'src/api.ts#handle' },
      ],
    }),
  ];
  const graph = buildCodeGraph(files, 7, {
    importConfig: {
      typescript: [{ directory: '', baseUrl: '', paths: { '@app/*': ['src/*'] } }],
      goModules: [],
      packages: [],
    },
  });

  it('resolves this, typed fields, bases and imported names, and leaves external names alone', () => {
    expect(targetsOf(graph, 'src/orders/order-service.ts#OrderService.place')).toEqual([
      'call:src/base.ts#BaseService.audit',
      'call:src/db/order-repository.ts#OrderRepository.save',
    ]);
    expect(targetsOf(graph, 'src/orders/order-service.ts#OrderService')).toEqual([
      'inherit:src/base.ts#BaseService',
    ]);
    expect(graph.outgoing('src/orders/order-service.ts#OrderService')[0]?.count).toBe(1);
  });

  it('follows aliases, barrels (named and star re-exports), namespaces and constructed receivers', () => {
    expect(targetsOf(graph, 'src/api.ts#handle')).toEqual([
      'call:src/api.ts#get',
      'call:src/orders/order-service.ts#OrderService.create',
      'call:src/orders/order-service.ts#OrderService.place',
      'type:src/base.ts#BaseService',
    ]);
    expect(targetsOf(graph, 'src/api.ts#')).toEqual(['type:src/db/order-repository.ts#OrderRepository']);
  });

  it('resolves file dependencies with tsconfig paths and lists external packages', () => {
    const dependencies = graph.fileDependencies
      .filter((dependency) => dependency.from !== 'src/api.ts')
      .map((dependency) => `${dependency.from} -> ${dependency.to}`);
    expect(dependencies).toEqual([
      'src/index.ts -> src/orders/order-service.ts',
      'src/index.ts -> src/db/order-repository.ts',
      'src/orders/order-service.ts -> src/base.ts',
      'src/orders/order-service.ts -> src/db/order-repository.ts',
    ]);
    expect(graph.fileDependencies.find((dependency) => dependency.specifier === '.')).toMatchObject({
      from: 'src/api.ts',
      to: 'src/index.ts',
      typeOnly: true,
    });
    expect(graph.externalImports.get('src/orders/order-service.ts')).toEqual(['lodash']);
  });

  it('answers the index queries', () => {
    expect(graph.revision).toBe(7);
    expect(graph.byName('save').map((item) => item.id)).toEqual([
      'src/db/order-repository.ts#OrderRepository.save',
    ]);
    expect(graph.children('src/orders/order-service.ts#OrderService').map((item) => item.name)).toEqual([
      'create',
      'constructor',
      'place',
    ]);
    expect(graph.incoming('src/base.ts#BaseService.audit').map((edge) => edge.from)).toEqual([
      'src/orders/order-service.ts#OrderService.place',
    ]);
    expect(graph.definitions.get('src/base.ts#BaseService')?.path).toBe('src/base.ts');
    expect(graph.outgoing('nothing')).toEqual([]);
  });
});

describe('buildCodeGraph ranking', () => {
  it('splits an ambiguous name into candidates with confidence 1/n, preferring the same folder', () => {
    const graph = buildCodeGraph(
      [
        file('a/one.ts', 'typescript', {
          definitions: [
            definition('a/one.ts', 'Cache', 'class'),
            definition('a/one.ts', 'Cache.flush', 'method'),
          ],
        }),
        file('b/two.ts', 'typescript', {
          definitions: [
            definition('b/two.ts', 'Queue', 'class'),
            definition('b/two.ts', 'Queue.flush', 'method'),
            definition('b/two.ts', 'Queue.get', 'method'),
          ],
        }),
        file('b/helper.ts', 'typescript', { definitions: [definition('b/helper.ts', 'format', 'function')] }),
        file('c/format.ts', 'typescript', { definitions: [definition('c/format.ts', 'format', 'function')] }),
        file('b/user.ts', 'typescript', {
          definitions: [definition('b/user.ts', 'run', 'function')],
          references: [
            { name: 'flush', receiver: 'buffer', enclosing: 'b/user.ts#run' },
            // Far more likely a Map's get than Queue.get: not guessed.
            { name: 'get', receiver: 'cache', enclosing: 'b/user.ts#run' },
            { name: 'flush', receiver: 'console', enclosing: 'b/user.ts#run' },
            { name: 'format', enclosing: 'b/user.ts#run' },
          ],
        }),
      ],
      1,
    );
    const edges = graph.outgoing('b/user.ts#run').map((edge) => [edge.to, edge.confidence, edge.count]);
    expect(edges).toEqual([
      ['a/one.ts#Cache.flush', 0.5, 1],
      ['b/two.ts#Queue.flush', 0.5, 1],
      ['b/helper.ts#format', 1, 1],
    ]);
  });
});

describe('buildCodeGraph field types', () => {
  it('types a field by the class its initialiser constructs', () => {
    const graph = buildCodeGraph(
      [
        file('src/store.ts', 'typescript', {
          definitions: [
            definition('src/store.ts', 'Store', 'class'),
            definition('src/store.ts', 'Store.save', 'method'),
          ],
        }),
        file('src/service.ts', 'typescript', {
          definitions: [
            definition('src/service.ts', 'Service', 'class'),
            definition('src/service.ts', 'Service.left', 'field', { signature: 'private readonly left' }),
            definition('src/service.ts', 'Service.run', 'method'),
          ],
          imports: [{ specifier: './store', names: [{ imported: 'Store', local: 'Store' }] }],
          references: [
            { name: 'Store', kind: 'new', enclosing: 'src/service.ts#Service.left' },
            { name: 'save', receiver: 'this.left', enclosing: 'src/service.ts#Service.run' },
          ],
        }),
      ],
      1,
    );
    expect(targetsOf(graph, 'src/service.ts#Service.run')).toEqual(['call:src/store.ts#Store.save']);
  });
});

describe('buildCodeGraph (Python, Java, Go)', () => {
  it('resolves Python relative and absolute imports, packages and self', () => {
    const graph = buildCodeGraph(
      [
        file('shop/__init__.py', 'python', {
          imports: [{ specifier: '.models', names: [{ imported: 'Order', local: 'Order' }] }],
        }),
        file('shop/models.py', 'python', {
          definitions: [
            definition('shop/models.py', 'Order', 'class'),
            definition('shop/models.py', 'Order.total', 'method'),
          ],
        }),
        file('shop/service.py', 'python', {
          definitions: [
            definition('shop/service.py', 'Checkout', 'class'),
            definition('shop/service.py', 'Checkout.__init__', 'method', {
              signature: 'def __init__(self, order: Order)',
            }),
            definition('shop/service.py', 'Checkout.run', 'method'),
            definition('shop/service.py', 'Checkout.validate', 'method'),
          ],
          imports: [
            { specifier: 'shop', names: [{ imported: 'Order', local: 'Order' }] },
            { specifier: 'os.path', names: [{ imported: '*', local: 'os.path' }] },
          ],
          references: [
            { name: 'validate', receiver: 'self', enclosing: 'shop/service.py#Checkout.run' },
            { name: 'total', receiver: 'self.order', enclosing: 'shop/service.py#Checkout.run' },
            { name: 'join', receiver: 'os.path', enclosing: 'shop/service.py#Checkout.run' },
            { name: 'Order', enclosing: 'shop/service.py#Checkout.run' },
          ],
        }),
        file('shop/api/routes.py', 'python', {
          definitions: [definition('shop/api/routes.py', 'index', 'function')],
          imports: [
            { specifier: '..', names: [{ imported: 'models', local: 'm' }] },
            { specifier: '..service', names: [{ imported: 'Checkout', local: 'Checkout' }] },
          ],
          references: [
            { name: 'Order', receiver: 'm', enclosing: 'shop/api/routes.py#index' },
            { name: 'run', receiver: 'Checkout(m.Order())', enclosing: 'shop/api/routes.py#index' },
          ],
        }),
      ],
      1,
    );
    expect(targetsOf(graph, 'shop/service.py#Checkout.run')).toEqual([
      'call:shop/models.py#Order',
      'call:shop/models.py#Order.total',
      'call:shop/service.py#Checkout.validate',
    ]);
    expect(targetsOf(graph, 'shop/api/routes.py#index')).toEqual([
      'call:shop/models.py#Order',
      'call:shop/service.py#Checkout.run',
    ]);
    expect(graph.fileDependencies.map((dependency) => `${dependency.from} -> ${dependency.to}`)).toEqual([
      'shop/__init__.py -> shop/models.py',
      'shop/api/routes.py -> shop/__init__.py',
      'shop/api/routes.py -> shop/models.py',
      'shop/api/routes.py -> shop/service.py',
      'shop/service.py -> shop/__init__.py',
    ]);
    expect(graph.externalImports.get('shop/service.py')).toEqual(['os']);
  });

  it('resolves Java packages, wildcards, static imports, implicit this and inherited members', () => {
    const graph = buildCodeGraph(
      [
        file('src/com/acme/billing/Invoice.java', 'java', {
          packageName: 'com.acme.billing',
          definitions: [
            definition('src/com/acme/billing/Invoice.java', 'Invoice', 'class', { extends: ['Document'] }),
            definition('src/com/acme/billing/Invoice.java', 'Invoice.total', 'method'),
            definition('src/com/acme/billing/Invoice.java', 'Invoice.print', 'method'),
          ],
          references: [
            { name: 'total', enclosing: 'src/com/acme/billing/Invoice.java#Invoice.print' },
            { name: 'stamp', enclosing: 'src/com/acme/billing/Invoice.java#Invoice.print' },
          ],
        }),
        file('src/com/acme/billing/Document.java', 'java', {
          packageName: 'com.acme.billing',
          definitions: [
            definition('src/com/acme/billing/Document.java', 'Document', 'class'),
            definition('src/com/acme/billing/Document.java', 'Document.stamp', 'method'),
          ],
        }),
        file('src/com/acme/util/Money.java', 'java', {
          packageName: 'com.acme.util',
          definitions: [
            definition('src/com/acme/util/Money.java', 'Money', 'class'),
            definition('src/com/acme/util/Money.java', 'Money.round', 'method'),
          ],
        }),
        file('src/com/acme/orders/OrderService.java', 'java', {
          packageName: 'com.acme.orders',
          definitions: [
            definition('src/com/acme/orders/OrderService.java', 'OrderService', 'class'),
            definition('src/com/acme/orders/OrderService.java', 'OrderService.bill', 'method', {
              signature: 'public Invoice bill(Invoice invoice)',
            }),
          ],
          imports: [
            { specifier: 'com.acme.billing', names: [{ imported: '*', local: '*' }] },
            { specifier: 'com.acme.util.Money', names: [{ imported: 'round', local: 'round' }] },
            { specifier: 'java.util.List', names: [{ imported: 'List', local: 'List' }] },
          ],
          references: [
            {
              name: 'print',
              receiver: 'invoice',
              enclosing: 'src/com/acme/orders/OrderService.java#OrderService.bill',
            },
            { name: 'round', enclosing: 'src/com/acme/orders/OrderService.java#OrderService.bill' },
            {
              name: 'of',
              receiver: 'List',
              enclosing: 'src/com/acme/orders/OrderService.java#OrderService.bill',
            },
          ],
        }),
      ],
      1,
    );
    expect(targetsOf(graph, 'src/com/acme/billing/Invoice.java#Invoice.print')).toEqual([
      'call:src/com/acme/billing/Document.java#Document.stamp',
      'call:src/com/acme/billing/Invoice.java#Invoice.total',
    ]);
    expect(targetsOf(graph, 'src/com/acme/orders/OrderService.java#OrderService.bill')).toEqual([
      'call:src/com/acme/billing/Invoice.java#Invoice.print',
      'call:src/com/acme/util/Money.java#Money.round',
    ]);
    expect(targetsOf(graph, 'src/com/acme/billing/Invoice.java#Invoice')).toEqual([
      'inherit:src/com/acme/billing/Document.java#Document',
    ]);
    // The wildcard depends on the package's file that is used, not on every file of the package.
    expect(
      graph.fileDependencies
        .filter((dependency) => dependency.from.endsWith('OrderService.java'))
        .map((dependency) => dependency.to),
    ).toEqual(['src/com/acme/billing/Invoice.java', 'src/com/acme/util/Money.java']);
    expect(graph.externalImports.get('src/com/acme/orders/OrderService.java')).toEqual(['java.util']);
  });

  it('resolves Go packages through the module path and method receivers', () => {
    const graph = buildCodeGraph(
      [
        file('svc/orders/store.go', 'go', {
          packageName: 'orders',
          definitions: [
            definition('svc/orders/store.go', 'Store', 'class'),
            definition('svc/orders/store.go', 'Store.Save', 'method'),
            definition('svc/orders/store.go', 'NewStore', 'function'),
          ],
        }),
        file('svc/orders/store_test.go', 'go', { packageName: 'orders' }),
        file('svc/main.go', 'go', {
          packageName: 'main',
          definitions: [
            definition('svc/main.go', 'main', 'function'),
            definition('svc/main.go', 'run', 'function', { signature: 'func run(s *orders.Store) error' }),
          ],
          imports: [
            { specifier: 'example.com/shop/orders', names: [{ imported: '*', local: 'orders' }] },
            { specifier: 'net/http', names: [{ imported: '*', local: 'http' }] },
          ],
          references: [
            { name: 'NewStore', receiver: 'orders', enclosing: 'svc/main.go#main' },
            { name: 'ListenAndServe', receiver: 'http', enclosing: 'svc/main.go#main' },
            { name: 'Save', receiver: 's', enclosing: 'svc/main.go#run' },
          ],
        }),
      ],
      1,
      {
        importConfig: {
          typescript: [],
          goModules: [{ directory: 'svc', modulePath: 'example.com/shop' }],
          packages: [],
        },
      },
    );
    expect(targetsOf(graph, 'svc/main.go#main')).toEqual(['call:svc/orders/store.go#NewStore']);
    expect(targetsOf(graph, 'svc/main.go#run')).toEqual(['call:svc/orders/store.go#Store.Save']);
    expect(graph.fileDependencies.map((dependency) => dependency.to)).toEqual(['svc/orders/store.go']);
    expect(graph.externalImports.get('svc/main.go')).toEqual(['net/http']);
  });
});
