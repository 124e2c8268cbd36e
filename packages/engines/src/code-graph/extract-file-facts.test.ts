import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { extractFileFacts, languageOfPath } from './extract-file-facts.ts';
import type { DefinitionFact, FileFacts } from './file-facts.ts';

const fixtures = new URL('./testdata/extraction/', import.meta.url);

async function extractFixture(fileName: string, path = `fixtures/${fileName}`): Promise<FileFacts> {
  const content = await readFile(new URL(fileName, fixtures), 'utf8');
  const { facts, warnings } = await extractFileFacts({ path, content });
  expect(warnings).toEqual([]);
  if (!facts) throw new Error(`no facts for ${fileName}`);
  return facts;
}

function definition(facts: FileFacts, qualifiedName: string): DefinitionFact {
  const found = facts.definitions.find((candidate) => candidate.qualifiedName === qualifiedName);
  if (!found)
    throw new Error(
      `${qualifiedName} not among ${facts.definitions.map((each) => each.qualifiedName).join(', ')}`,
    );
  return found;
}

describe('languageOfPath', () => {
  it('maps extensions to the languages with a spec', () => {
    expect(languageOfPath('src/a.ts')).toBe('typescript');
    expect(languageOfPath('src/A.TSX')).toBe('tsx');
    expect(languageOfPath('lib/a.mjs')).toBe('javascript');
    expect(languageOfPath('a/b.py')).toBe('python');
    expect(languageOfPath('A.java')).toBe('java');
    expect(languageOfPath('main.go')).toBe('go');
    expect(languageOfPath('README.md')).toBeUndefined();
    expect(languageOfPath('Makefile')).toBeUndefined();
  });
});

describe('extractFileFacts: TypeScript', () => {
  it('extracts classes, members, docs, decorators, heritage, exports and complexity', async () => {
    const facts = await extractFixture('order-service.ts');
    expect(facts.language).toBe('typescript');
    expect(facts.lines).toBe(24);
    expect(facts.hash).toMatch(/^[0-9a-f]{64}$/);
    // Locals (`const rows` in `place`) are not definitions; module-level variables are.
    expect(facts.definitions.map((each) => each.qualifiedName)).toEqual([
      'OrderService',
      'OrderService.repo',
      'OrderService.constructor',
      'OrderService.place',
      'handler',
      'helper',
      'z',
    ]);
    const service = definition(facts, 'OrderService');
    expect(service).toMatchObject({
      id: 'fixtures/order-service.ts#OrderService',
      kind: 'class',
      exported: true,
      doc: 'Places orders.\n@example x',
      decorators: ['Controller'],
      extends: ['Base.Service'],
      implements: ['Api', 'Gen'],
      signature: 'class OrderService<T> extends Base.Service<T> implements Api, Gen<T>',
    });
    expect(service.range.line).toBe(10);
    expect(service.range.endLine).toBe(20);
    const place = definition(facts, 'OrderService.place');
    expect(place).toMatchObject({
      kind: 'method',
      parent: service.id,
      doc: 'Place one.',
      decorators: ['Get'],
      signature: 'async place(order: Order): Promise<Receipt>',
      exported: true,
      // if, &&, ternary
      complexity: 4,
    });
    expect(definition(facts, 'OrderService.repo')).toMatchObject({ kind: 'field', exported: false });
    expect(definition(facts, 'OrderService.constructor').kind).toBe('constructor');
    expect(definition(facts, 'handler')).toMatchObject({ kind: 'function', exported: true, complexity: 2 });
    // Exported by list, not at the declaration.
    expect(definition(facts, 'helper').exported).toBe(true);
    expect(definition(facts, 'z')).toMatchObject({ kind: 'variable', exported: false });
  });

  it('extracts static, type-only, require and re-export imports', async () => {
    const facts = await extractFixture('order-service.ts');
    expect(facts.imports).toEqual([
      { specifier: './q', names: [{ imported: 'Q', local: 'Q' }], kind: 'static', typeOnly: true, line: 1 },
      {
        specifier: './d',
        names: [
          { imported: 'default', local: 'D' },
          { imported: '*', local: 'ns' },
        ],
        kind: 'static',
        typeOnly: false,
        line: 2,
      },
      {
        specifier: 'x',
        names: [
          { imported: 'a', local: 'b' },
          { imported: 'C', local: 'C' },
        ],
        kind: 'static',
        typeOnly: false,
        line: 3,
      },
      { specifier: 'z', names: [{ imported: '*', local: 'z' }], kind: 'require', typeOnly: false, line: 24 },
      {
        specifier: './w',
        names: [{ imported: '*', local: '*' }],
        kind: 'reexport',
        typeOnly: false,
        line: 24,
      },
      {
        specifier: './k',
        names: [{ imported: 'k', local: 'kk' }],
        kind: 'reexport',
        typeOnly: false,
        line: 24,
      },
    ]);
  });

  it('extracts references with receivers and enclosing definitions, and SQL tables', async () => {
    const facts = await extractFixture('order-service.ts');
    const place = 'fixtures/order-service.ts#OrderService.place';
    expect(facts.references).toContainEqual({
      name: 'save',
      receiver: 'this.repo',
      kind: 'call',
      line: 16,
      column: 57,
      enclosing: place,
    });
    expect(facts.references).toContainEqual({
      name: 'fmt',
      kind: 'call',
      line: 18,
      column: 26,
      enclosing: place,
    });
    expect(facts.references).toContainEqual({
      name: 'Order',
      kind: 'type',
      line: 15,
      column: 22,
      enclosing: place,
    });
    expect(facts.references).toContainEqual({
      name: 'Get',
      kind: 'decorator',
      line: 14,
      column: 4,
      enclosing: place,
    });
    expect(facts.references).toContainEqual(
      expect.objectContaining({
        name: 'OrderRepository',
        kind: 'new',
        enclosing: 'fixtures/order-service.ts#OrderService.repo',
      }),
    );
    expect(facts.references).toContainEqual(
      expect.objectContaining({
        name: 'Service',
        receiver: 'Base',
        kind: 'inherit',
        enclosing: 'fixtures/order-service.ts#OrderService',
      }),
    );
    // Generic parameters are not references to anything.
    expect(facts.references.some((reference) => reference.name === 'T')).toBe(false);
    // Definition names are not references to themselves.
    expect(facts.references.find((reference) => reference.name === 'OrderService')).toBeUndefined();
    expect(facts.tables).toEqual([
      { table: 'orders', operation: 'select', line: 17, enclosing: place },
      { table: 'customers', operation: 'select', line: 17, enclosing: place },
    ]);
  });
});

describe('extractFileFacts: TSX and JavaScript', () => {
  it('parses JSX with the TSX grammar', async () => {
    const facts = await extractFixture('widget.tsx');
    expect(facts.language).toBe('tsx');
    expect(facts.definitions.map((each) => each.qualifiedName)).toEqual(['Widget']);
    expect(definition(facts, 'Widget')).toMatchObject({
      exported: true,
      doc: 'Shows a counter.',
      complexity: 2,
    });
    expect(facts.references).toContainEqual(
      expect.objectContaining({ name: 'setCount', kind: 'call', enclosing: 'fixtures/widget.tsx#Widget' }),
    );
  });

  it('reads CommonJS requires, dynamic imports and module.exports', async () => {
    const facts = await extractFixture('legacy.js');
    expect(facts.imports.map(({ specifier, kind }) => `${kind}:${specifier}`)).toEqual([
      'require:./db',
      'require:date-fns',
      'dynamic:./lazy.js',
    ]);
    expect(facts.imports[1]?.names).toEqual([
      { imported: 'format', local: 'format' },
      { imported: 'parse', local: 'parseDate' },
    ]);
    expect(definition(facts, 'InvoiceStore')).toMatchObject({
      exported: true,
      extends: ['db.Store'],
      doc: 'Lists the invoices of a customer.',
    });
    expect(definition(facts, 'load')).toMatchObject({ exported: true, complexity: 2 });
    expect(facts.tables).toEqual([
      { table: 'invoices', operation: 'select', line: 7, enclosing: 'fixtures/legacy.js#InvoiceStore.list' },
    ]);
  });
});

describe('extractFileFacts: Python', () => {
  it('extracts classes, methods, docstrings, decorators, imports and the module path', async () => {
    const facts = await extractFixture('orders.py', 'src/shop/orders.py');
    expect(facts.packageName).toBe('shop.orders');
    const service = definition(facts, 'OrderService');
    expect(service).toMatchObject({
      kind: 'class',
      exported: true,
      doc: 'Places orders.\n\nMore detail.',
      extends: ['Base', 'abc.ABC'],
    });
    expect(definition(facts, 'OrderService.__init__')).toMatchObject({
      kind: 'constructor',
      signature: 'def __init__(self, repo: Repo)',
    });
    expect(definition(facts, 'OrderService.place')).toMatchObject({
      kind: 'method',
      decorators: ['app.get'],
      doc: 'Place one.',
      signature: 'def place(self, order: Order) -> Receipt',
      // if, and, comprehension for + if
      complexity: 5,
      range: { line: 21, column: 5, endLine: 28, endColumn: 37 },
    });
    expect(definition(facts, 'OrderService._private').exported).toBe(false);
    expect(definition(facts, '_helper.inner')).toMatchObject({
      exported: false,
      parent: 'src/shop/orders.py#_helper',
    });
    expect(facts.imports).toContainEqual({
      specifier: 'os.path',
      names: [{ imported: '*', local: 'os.path' }],
      kind: 'static',
      typeOnly: false,
      line: 2,
    });
    expect(facts.imports).toContainEqual({
      specifier: 'numpy',
      names: [{ imported: '*', local: 'np' }],
      kind: 'static',
      typeOnly: false,
      line: 3,
    });
    expect(facts.imports).toContainEqual({
      specifier: '.models',
      names: [
        { imported: 'Order', local: 'O' },
        { imported: 'Item', local: 'Item' },
      ],
      kind: 'static',
      typeOnly: false,
      line: 4,
    });
    expect(facts.references).toContainEqual({
      name: 'join',
      receiver: 'os.path',
      kind: 'call',
      line: 35,
      column: 20,
      enclosing: 'src/shop/orders.py#_helper',
    });
    expect(facts.references).toContainEqual(
      expect.objectContaining({
        name: 'get',
        receiver: 'app',
        kind: 'decorator',
        enclosing: 'src/shop/orders.py#OrderService.place',
      }),
    );
    expect(facts.tables.map(({ table, line }) => `${table}@${line}`)).toEqual(['orders@26', 'items@27']);
  });
});

describe('extractFileFacts: Java', () => {
  it('extracts the package, annotations, Javadoc, heritage and imports', async () => {
    const facts = await extractFixture(
      'OrderService.java',
      'src/main/java/com/acme/orders/OrderService.java',
    );
    expect(facts.packageName).toBe('com.acme.orders');
    const id = 'src/main/java/com/acme/orders/OrderService.java#OrderService';
    expect(definition(facts, 'OrderService')).toMatchObject({
      exported: true,
      doc: 'Places orders.',
      decorators: ['Service'],
      extends: ['BaseService'],
      implements: ['Api', 'com.acme.Auditable'],
    });
    expect(definition(facts, 'OrderService.place')).toMatchObject({
      decorators: ['GetMapping'],
      doc: 'Place one.',
      signature: 'public Receipt place(Order order) throws IOException',
      // if, &&, for, ternary
      complexity: 5,
    });
    expect(definition(facts, 'OrderService.OrderService').kind).toBe('constructor');
    expect(definition(facts, 'OrderService.repo').exported).toBe(false);
    expect(definition(facts, 'Api')).toMatchObject({ kind: 'interface', exported: false });
    expect(
      facts.imports.map(
        ({ specifier, names }) => `${specifier}:${names.map((name) => name.imported).join(',')}`,
      ),
    ).toEqual(['com.acme.billing.Invoice:Invoice', 'com.acme.util.Strings:isBlank', 'java.util:*']);
    expect(facts.references).toContainEqual({
      name: 'save',
      receiver: 'repo',
      kind: 'call',
      line: 21,
      column: 25,
      enclosing: `${id}.place`,
    });
    expect(facts.references).toContainEqual(
      expect.objectContaining({ name: 'of', receiver: 'Invoice', kind: 'call' }),
    );
    expect(facts.references).toContainEqual(
      expect.objectContaining({ name: 'Receipt', kind: 'new', line: 21 }),
    );
    expect(facts.references.some((reference) => reference.name === 'acme')).toBe(false);
    expect(facts.tables).toEqual([
      { table: 'orders', operation: 'update', line: 23, enclosing: `${id}.place` },
    ]);
  });
});

describe('extractFileFacts: Go', () => {
  it('extracts the package, receiver methods, line-comment docs, import aliases and capitalised exports', async () => {
    const facts = await extractFixture('server.go', 'internal/orders/server.go');
    expect(facts.packageName).toBe('orders');
    expect(facts.isTest).toBe(false);
    expect(definition(facts, 'Server')).toMatchObject({
      kind: 'class',
      exported: true,
      doc: 'Server serves orders.\nSecond line.',
      signature: 'Server struct',
    });
    expect(definition(facts, 'Server.Handle')).toMatchObject({
      kind: 'method',
      parent: 'internal/orders/server.go#Server',
      doc: 'Handle handles.',
      exported: true,
      // if, ||, two cases
      complexity: 5,
    });
    expect(definition(facts, 'Store.Get')).toMatchObject({
      kind: 'method',
      parent: 'internal/orders/server.go#Store',
    });
    expect(definition(facts, 'helper').exported).toBe(false);
    expect(facts.imports).toEqual([
      {
        specifier: 'fmt',
        names: [{ imported: '*', local: 'fmt' }],
        kind: 'static',
        typeOnly: false,
        line: 4,
      },
      {
        specifier: 'net/http',
        names: [{ imported: '*', local: 'h' }],
        kind: 'static',
        typeOnly: false,
        line: 5,
      },
    ]);
    expect(facts.references).toContainEqual(
      expect.objectContaining({
        name: 'Errorf',
        receiver: 'fmt',
        kind: 'call',
        enclosing: 'internal/orders/server.go#Server.Handle',
      }),
    );
    expect(facts.references).toContainEqual(expect.objectContaining({ name: 'Order', kind: 'new' }));
    expect(facts.references.some((reference) => reference.name === 'string')).toBe(false);
    expect(facts.tables).toEqual([
      {
        table: 'orders',
        operation: 'delete',
        line: 19,
        enclosing: 'internal/orders/server.go#Server.Handle',
      },
    ]);
  });
});

describe('extractFileFacts: tests and bad input', () => {
  it('recognises test files by name, folder and framework import', async () => {
    const isTest = async (path: string, content = '') =>
      (await extractFileFacts({ path, content })).facts?.isTest;
    expect(await isTest('src/a.test.ts')).toBe(true);
    expect(await isTest('src/a.spec.jsx')).toBe(true);
    expect(await isTest('pkg/test_orders.py')).toBe(true);
    expect(await isTest('pkg/orders_test.py')).toBe(true);
    expect(await isTest('src/main/java/OrderServiceTest.java')).toBe(true);
    expect(await isTest('server_test.go')).toBe(true);
    expect(await isTest('src/__tests__/a.ts')).toBe(true);
    expect(await isTest('tests/helpers.py')).toBe(true);
    expect(await isTest('src/test/java/Helper.java')).toBe(true);
    expect(await isTest('src/check.ts', "import { it } from 'vitest';")).toBe(true);
    expect(await isTest('src/contest.ts')).toBe(false);
    expect(await isTest('src/orders.py')).toBe(false);
  });

  it('gives partial facts, error positions and a warning for syntax errors', async () => {
    const content = await readFile(new URL('broken.ts', fixtures), 'utf8');
    const { facts, warnings } = await extractFileFacts({ path: 'broken.ts', content });
    expect(facts?.definitions.map((each) => each.qualifiedName)).toEqual([
      'fine',
      'broken',
      'StillFound',
      'StillFound.method',
    ]);
    expect(facts?.parseErrors[0]?.line).toBe(5);
    expect(warnings).toEqual([expect.stringContaining('broken.ts: syntax errors (first at line 5')]);
  });

  it('skips unsupported, binary, enormous and minified files with a warning', async () => {
    const cases = [
      { path: 'README.md', content: '# hi', warning: 'no parser' },
      { path: 'logo.ts', content: 'GIF89a\0\0\x01', warning: 'binary' },
      { path: 'huge.py', content: 'x = 1\n'.repeat(200_000), warning: 'exceeds' },
      { path: 'bundle.min.js', content: `var a=1;${'a+=1;'.repeat(1_200)}\n`, warning: 'minified' },
    ];
    for (const { path, content, warning } of cases) {
      const result = await extractFileFacts({ path, content });
      expect(result.facts).toBeUndefined();
      expect(result.warnings).toEqual([expect.stringContaining(warning)]);
    }
  });

  it("reads TypeScript's import-equals require and inline type-only imports", async () => {
    const content = "import fs = require('fs');\nimport { type A, type B } from './types';\n";
    const { facts } = await extractFileFacts({ path: 'a.ts', content });
    expect(facts?.imports).toEqual([
      { specifier: 'fs', names: [{ imported: '*', local: 'fs' }], kind: 'require', typeOnly: false, line: 1 },
      {
        specifier: './types',
        names: [
          { imported: 'A', local: 'A' },
          { imported: 'B', local: 'B' },
        ],
        kind: 'static',
        typeOnly: true,
        line: 2,
      },
    ]);
  });

  it('finds Go package-level variables and constants, grouped or not, but not locals', async () => {
    const content =
      'package p\n\nvar (\n\ta = 1\n\tb int\n)\n\nconst C = 2\n\nfunc f() { var d = 3; _ = d }\n';
    const { facts } = await extractFileFacts({ path: 'p.go', content });
    expect(facts?.definitions.map((each) => `${each.kind}:${each.qualifiedName}:${each.exported}`)).toEqual([
      'variable:a:false',
      'variable:b:false',
      'variable:C:true',
      'function:f:false',
    ]);
  });

  it('keeps variables declared inside callbacks out of the definitions', async () => {
    const content = "describe('x', () => {\n  const local = 1;\n});\nexport const top = 2;\n";
    const { facts } = await extractFileFacts({ path: 'a.ts', content });
    expect(facts?.definitions.map((each) => each.qualifiedName)).toEqual(['top']);
  });

  it('numbers duplicate qualified names and handles empty files', async () => {
    const { facts } = await extractFileFacts({
      path: 'a.ts',
      content: 'function f(): void;\nfunction f(x?: number) {}\n',
    });
    expect(facts?.definitions.map((each) => each.id)).toEqual(['a.ts#f', 'a.ts#f~2']);
    const empty = await extractFileFacts({ path: 'empty.go', content: '' });
    expect(empty.facts).toMatchObject({ lines: 0, definitions: [], imports: [], parseErrors: [] });
  });
});
