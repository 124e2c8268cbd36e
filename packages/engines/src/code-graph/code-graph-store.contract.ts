import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CodeGraphStore } from './code-graph-store.ts';
import type { FileFacts } from './file-facts.ts';

/**
 * The behaviour every `CodeGraphStore` shares. Each implementation's test calls it:
 *
 * @example
 * runCodeGraphStoreContract({ create: () => createMemoryCodeGraphStore() });
 *
 * `create` returns a fresh, empty store; `destroy` (optional) releases it after each test. The rules: loaded
 * files come back sorted by path and equal to what was stored (deep copies, not shared objects); every
 * `applyChanges` bumps the revision by one, even an empty one; a batch with an invalid entry (empty, absolute
 * or `..` path, missing hash, a path twice, a path both upserted and removed) is refused whole; removing an
 * unknown path is not an error; repositories never see each other's files.
 */
export function runCodeGraphStoreContract(options: {
  create: () => CodeGraphStore | Promise<CodeGraphStore>;
  destroy?: (store: CodeGraphStore) => void | Promise<void>;
}): void {
  describe('CodeGraphStore contract', () => {
    let store: CodeGraphStore;
    beforeEach(async () => {
      store = await options.create();
    });
    afterEach(async () => {
      await options.destroy?.(store);
    });

    it('reports nothing for an unknown repository', async () => {
      expect(await store.fileHashes('unknown')).toEqual(new Map());
      expect(await store.loadFiles('unknown')).toEqual([]);
      expect(await store.loadFiles('unknown', ['a.ts'])).toEqual([]);
      expect(await store.revision('unknown')).toBe(0);
      expect(await store.deleteRepository('unknown')).toBe(false);
    });

    it('stores files and returns them unchanged, sorted by path', async () => {
      const files = [
        sampleFacts('src/b.ts', 'b1'),
        sampleFacts('src/a.ts', 'a1'),
        sampleFacts('main.py', 'p1'),
      ];
      expect(await store.applyChanges('repo', { upsert: files, remove: [] })).toBe(1);
      expect(await store.revision('repo')).toBe(1);
      const loaded = await store.loadFiles('repo');
      expect(loaded.map((facts) => facts.path)).toEqual(['main.py', 'src/a.ts', 'src/b.ts']);
      expect(loaded.find((facts) => facts.path === 'src/a.ts')).toEqual(files[1]);
      expect(await store.fileHashes('repo')).toEqual(
        new Map([
          ['main.py', 'p1'],
          ['src/a.ts', 'a1'],
          ['src/b.ts', 'b1'],
        ]),
      );
    });

    it('keeps optional fields and unusual text intact', async () => {
      const facts = sampleFacts('src/ünïcode file.ts', 'h');
      facts.packageName = 'com.acme';
      facts.parseErrors = [{ line: 3, column: 1 }];
      const definition = facts.definitions[0];
      if (definition === undefined) throw new Error('sample has a definition');
      definition.doc = 'Quotes \' " `, backslash \\, emoji 🚀, newline\nand NUL-free text.';
      delete definition.parent;
      await store.applyChanges('repo', { upsert: [facts], remove: [] });
      expect(await store.loadFiles('repo')).toEqual([facts]);
    });

    it('loads only the requested paths, leaving unknown ones out', async () => {
      await store.applyChanges('repo', {
        upsert: [sampleFacts('a.ts', '1'), sampleFacts('b.ts', '2'), sampleFacts('c.ts', '3')],
        remove: [],
      });
      const loaded = await store.loadFiles('repo', ['c.ts', 'missing.ts', 'a.ts', 'a.ts']);
      expect(loaded.map((facts) => facts.path)).toEqual(['a.ts', 'c.ts']);
      expect(await store.loadFiles('repo', [])).toEqual([]);
    });

    it('applies incremental changes: replaces changed files, removes deleted ones, keeps the rest', async () => {
      await store.applyChanges('repo', {
        upsert: [sampleFacts('a.ts', 'a1'), sampleFacts('b.ts', 'b1'), sampleFacts('c.ts', 'c1')],
        remove: [],
      });
      const changed = sampleFacts('b.ts', 'b2', 'renamed');
      const revision = await store.applyChanges('repo', {
        upsert: [changed, sampleFacts('d.ts', 'd1')],
        remove: ['a.ts', 'never-stored.ts'],
      });
      expect(revision).toBe(2);
      expect(await store.fileHashes('repo')).toEqual(
        new Map([
          ['b.ts', 'b2'],
          ['c.ts', 'c1'],
          ['d.ts', 'd1'],
        ]),
      );
      expect(await store.loadFiles('repo', ['b.ts'])).toEqual([changed]);
    });

    it('bumps the revision on every change, including an empty one', async () => {
      expect(await store.applyChanges('repo', { upsert: [sampleFacts('a.ts', '1')], remove: [] })).toBe(1);
      expect(await store.applyChanges('repo', { upsert: [], remove: [] })).toBe(2);
      expect(await store.applyChanges('repo', { upsert: [], remove: ['a.ts'] })).toBe(3);
      expect(await store.revision('repo')).toBe(3);
      expect(await store.loadFiles('repo')).toEqual([]);
    });

    it('gives concurrent batches distinct revisions and keeps both', async () => {
      const revisions = await Promise.all([
        store.applyChanges('repo', { upsert: [sampleFacts('a.ts', '1')], remove: [] }),
        store.applyChanges('repo', { upsert: [sampleFacts('b.ts', '2')], remove: [] }),
      ]);
      expect([...revisions].sort()).toEqual([1, 2]);
      expect((await store.loadFiles('repo')).map((facts) => facts.path)).toEqual(['a.ts', 'b.ts']);
    });

    it.each([
      ['an empty path', sampleFacts('', 'h')],
      ['an absolute path', sampleFacts('/etc/passwd', 'h')],
      ['a path leaving the repository', sampleFacts('src/../../x.ts', 'h')],
      ['a backslash path', sampleFacts('src\\x.ts', 'h')],
      ['no hash', sampleFacts('src/x.ts', '')],
    ])('refuses a whole batch containing %s', async (_label, invalid) => {
      await store.applyChanges('repo', { upsert: [sampleFacts('kept.ts', 'k1')], remove: [] });
      await expect(
        store.applyChanges('repo', { upsert: [sampleFacts('new.ts', 'n1'), invalid], remove: ['kept.ts'] }),
      ).rejects.toThrow();
      expect(await store.revision('repo')).toBe(1);
      expect(await store.fileHashes('repo')).toEqual(new Map([['kept.ts', 'k1']]));
    });

    it('refuses a batch naming a path twice or both storing and removing it', async () => {
      await expect(
        store.applyChanges('repo', {
          upsert: [sampleFacts('a.ts', '1'), sampleFacts('a.ts', '2')],
          remove: [],
        }),
      ).rejects.toThrow();
      await expect(
        store.applyChanges('repo', { upsert: [sampleFacts('a.ts', '1')], remove: ['a.ts'] }),
      ).rejects.toThrow();
      expect(await store.revision('repo')).toBe(0);
      expect(await store.loadFiles('repo')).toEqual([]);
    });

    it('lets readers see either the earlier or the later revision, never a mix', async () => {
      const first = Array.from({ length: 200 }, (_, index) => sampleFacts(`f${index}.ts`, 'old'));
      await store.applyChanges('repo', { upsert: first, remove: [] });
      const second = Array.from({ length: 200 }, (_, index) => sampleFacts(`f${index}.ts`, 'new'));
      const [, hashes, loaded] = await Promise.all([
        store.applyChanges('repo', { upsert: second, remove: [] }),
        store.fileHashes('repo'),
        store.loadFiles('repo'),
      ]);
      expect(new Set(hashes.values()).size).toBe(1);
      expect(new Set(loaded.map((facts) => facts.hash)).size).toBe(1);
      expect(loaded).toHaveLength(200);
    });

    it('isolates repositories from each other', async () => {
      await store.applyChanges('one', { upsert: [sampleFacts('shared.ts', 'one')], remove: [] });
      await store.applyChanges('two', { upsert: [sampleFacts('shared.ts', 'two')], remove: [] });
      await store.applyChanges('two', { upsert: [sampleFacts('only-two.ts', 'x')], remove: [] });
      expect(await store.revision('one')).toBe(1);
      expect(await store.revision('two')).toBe(2);
      expect(await store.fileHashes('one')).toEqual(new Map([['shared.ts', 'one']]));
      await store.applyChanges('one', { upsert: [], remove: ['shared.ts'] });
      expect((await store.loadFiles('two')).map((facts) => facts.hash)).toEqual(['x', 'two']);
      expect(await store.deleteRepository('two')).toBe(true);
      expect(await store.revision('two')).toBe(0);
      expect(await store.loadFiles('two')).toEqual([]);
      expect(await store.revision('one')).toBe(2);
      expect(await store.deleteRepository('two')).toBe(false);
    });

    it('does not share objects with callers', async () => {
      const facts = sampleFacts('a.ts', '1');
      await store.applyChanges('repo', { upsert: [facts], remove: [] });
      facts.hash = 'mutated by the caller';
      const [loaded] = await store.loadFiles('repo');
      expect(loaded?.hash).toBe('1');
      if (loaded !== undefined) loaded.definitions.length = 0;
      expect((await store.loadFiles('repo'))[0]?.definitions).toHaveLength(1);
    });

    it('stores a large batch in one change', async () => {
      const files = Array.from({ length: 5000 }, (_, index) =>
        sampleFacts(`src/folder-${index % 50}/file-${index}.ts`, `hash-${index}`),
      );
      expect(await store.applyChanges('big', { upsert: files, remove: [] })).toBe(1);
      const hashes = await store.fileHashes('big');
      expect(hashes.size).toBe(5000);
      expect(hashes.get('src/folder-7/file-4007.ts')).toBe('hash-4007');
      const removed = files.slice(0, 2500).map((facts) => facts.path);
      expect(await store.applyChanges('big', { upsert: [], remove: removed })).toBe(2);
      expect((await store.fileHashes('big')).size).toBe(2500);
      expect((await store.loadFiles('big')).length).toBe(2500);
    });
  });
}

/** A small but complete `FileFacts` (every field present) for store tests. */
export function sampleFacts(path: string, hash: string, functionName = 'handle'): FileFacts {
  return {
    path,
    language: 'typescript',
    hash,
    lines: 12,
    isTest: false,
    definitions: [
      {
        id: `${path}#Service.${functionName}`,
        name: functionName,
        qualifiedName: `Service.${functionName}`,
        kind: 'method',
        range: { line: 3, column: 3, endLine: 8, endColumn: 3 },
        signature: `${functionName}(order: Order): Promise<void>`,
        doc: 'Handles an order.',
        exported: true,
        parent: `${path}#Service`,
        extends: [],
        implements: [],
        decorators: ['Get'],
        complexity: 2,
      },
    ],
    imports: [
      {
        specifier: './order',
        names: [{ imported: 'Order', local: 'Order' }],
        line: 1,
        kind: 'static',
        typeOnly: true,
      },
    ],
    references: [
      {
        name: 'save',
        receiver: 'this',
        kind: 'call',
        line: 5,
        column: 10,
        enclosing: `${path}#Service.${functionName}`,
      },
    ],
    tables: [{ table: 'orders', operation: 'insert', line: 6 }],
    parseErrors: [],
  };
}
