import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InsertQueryNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileFacts } from '@plumb/engines';
import { runCodeGraphStoreContract } from '@plumb/engines/testing';
import { createCodeGraphRepository } from './create-code-graph-repository.ts';
import { createPostgresStorage } from './create-postgres-storage.ts';
import { createSqliteStorage } from './create-sqlite-storage.ts';
import type { Storage } from './storage.ts';

const root = await mkdtemp(join(tmpdir(), 'plumb-code-graph-'));
const postgresUrl = process.env.PLUMB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const isCi = Boolean(process.env.CI);
/** One fresh schema per run, dropped afterwards, so runs never see each other's rows. */
const schema = `plumb_test_${randomBytes(6).toString('hex')}`;

async function findUnreachableReason(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const unreachableReason = await findUnreachableReason(postgresUrl);
const postgresSkip =
  unreachableReason === undefined
    ? false
    : `PostgreSQL at ${postgresUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')} is not reachable ` +
      `(${unreachableReason}). Start it or point PLUMB_TEST_POSTGRES_URL at a server you may create schemas on.`;
if (postgresSkip && !isCi) console.warn(`Skipping the PostgreSQL code graph tests: ${postgresSkip}`);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  if (unreachableReason !== undefined) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
});

describe('PostgreSQL for the code graph tests', () => {
  // CI must cover both dialects: there an unreachable server is a failure, not a skip.
  it.runIf(isCi && postgresSkip !== false)('is reachable when CI is set', () => {
    throw new Error(postgresSkip || '');
  });
});

function facts(path: string, options: { hash?: string; names?: string[]; doc?: string } = {}): FileFacts {
  return {
    path,
    language: 'typescript',
    hash: options.hash ?? `hash-of-${path}`,
    lines: 10,
    isTest: false,
    definitions: (options.names ?? []).map((name, index) => ({
      id: `${path}#${name}`,
      name,
      qualifiedName: name,
      kind: 'function',
      range: { line: index + 1, column: 1, endLine: index + 1, endColumn: 20 },
      signature: `${name}(): void`,
      ...(options.doc === undefined ? {} : { doc: options.doc }),
      exported: true,
      extends: [],
      implements: [],
      decorators: [],
      complexity: 1,
    })),
    imports: [
      {
        specifier: './other',
        names: [{ imported: 'x', local: 'x' }],
        line: 1,
        kind: 'static',
        typeOnly: false,
      },
    ],
    references: [{ name: 'x', kind: 'call', line: 2, column: 3 }],
    tables: [],
    parseErrors: [],
  };
}

/**
 * Holds the repository's transaction right after its first insert into `code_graph_files`, so a test can read
 * from another connection while a change set is half written.
 */
function createPausePlugin(): { plugin: KyselyPlugin; reached: Promise<void>; release: () => void } {
  const fileInserts = new WeakSet<QueryId>();
  let signalReached = (): void => {};
  let release = (): void => {};
  const reached = new Promise<void>((resolve) => (signalReached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let paused = false;
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const node = args.node;
      if (InsertQueryNode.is(node) && node.into?.table.identifier.name === 'code_graph_files') {
        fileInserts.add(args.queryId);
      }
      return node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (fileInserts.has(args.queryId) && !paused) {
        paused = true;
        signalReached();
        await released;
      }
      return args.result;
    },
  };
  return { plugin, reached, release };
}

const dialects = [
  {
    name: 'sqlite',
    skip: false as string | false,
    // Each call opens its own connection to the same file, like a second server process.
    open: () => createSqliteStorage({ filename: join(root, 'code-graph.db') }),
  },
  {
    name: 'postgres',
    skip: postgresSkip,
    open: () => createPostgresStorage({ connectionString: postgresUrl, schema }),
  },
];

for (const dialect of dialects) {
  describe.skipIf(dialect.skip !== false)(`createCodeGraphRepository on ${dialect.name}`, () => {
    let storage: Storage;
    let reader: Storage;

    beforeAll(async () => {
      storage = await dialect.open();
      reader = await dialect.open();
    });

    afterAll(async () => {
      await storage?.close();
      await reader?.close();
    });

    it('answers empty for an unknown repository', async () => {
      const store = createCodeGraphRepository(storage.db);
      const key = randomUUID();
      expect(await store.revision(key)).toBe(0);
      expect(await store.fileHashes(key)).toEqual(new Map());
      expect(await store.loadFiles(key)).toEqual([]);
      expect(await store.findDefinitions(key, 'anything')).toEqual([]);
      expect(await store.deleteRepository(key)).toBe(false);
    });

    it('stores, replaces and removes files, bumping the revision each time', async () => {
      const store = createCodeGraphRepository(storage.db);
      const key = randomUUID();
      expect(await store.applyChanges(key, { upsert: [facts('b.ts'), facts('a.ts')], remove: [] })).toBe(1);
      expect(await store.fileHashes(key)).toEqual(
        new Map([
          ['a.ts', 'hash-of-a.ts'],
          ['b.ts', 'hash-of-b.ts'],
        ]),
      );
      const changed = facts('a.ts', { hash: 'new' });
      expect(await store.applyChanges(key, { upsert: [changed], remove: ['b.ts', 'never-stored.ts'] })).toBe(
        2,
      );
      expect(await store.loadFiles(key)).toEqual([changed]);
      expect(await store.loadFiles(key, ['a.ts', 'unknown.ts'])).toEqual([changed]);
      expect(await store.revision(key)).toBe(2);
      expect(await store.applyChanges(key, { upsert: [], remove: [] })).toBe(3);
    });

    it('round-trips facts JSON exactly, unicode and escapes included', async () => {
      const store = createCodeGraphRepository(storage.db);
      const key = `owner:/srv/ünïcødé ${randomUUID()}`;
      const doc = 'Héllo — 你好 — مرحبا — e\u0301 — 👩‍💻 — "quotes" \\ \t \u2028 \u0000 lone \ud800 end';
      const file = facts('src/数据/ファイル 🙂.ts', { names: ['größe', '𝒻'], doc });
      await store.applyChanges(key, { upsert: [file], remove: [] });
      const [loaded] = await store.loadFiles(key);
      expect(JSON.stringify(loaded)).toBe(JSON.stringify(file));
      expect(await store.findDefinitions(key, '𝒻')).toEqual([
        { id: `${file.path}#𝒻`, path: file.path, name: '𝒻', qualifiedName: '𝒻', kind: 'function', line: 2 },
      ]);
    });

    it('finds definitions by name and forgets those of replaced and removed files', async () => {
      const store = createCodeGraphRepository(storage.db);
      const key = randomUUID();
      await store.applyChanges(key, {
        upsert: [facts('z.ts', { names: ['place', 'cancel'] }), facts('y.ts', { names: ['other', 'place'] })],
        remove: [],
      });
      expect((await store.findDefinitions(key, 'place')).map((found) => [found.path, found.line])).toEqual([
        ['y.ts', 2],
        ['z.ts', 1],
      ]);
      await store.applyChanges(key, { upsert: [facts('z.ts', { names: ['cancel'] })], remove: ['y.ts'] });
      expect(await store.findDefinitions(key, 'place')).toEqual([]);
      expect(await store.findDefinitions(key, 'cancel')).toHaveLength(1);
      expect(await store.findDefinitions(randomUUID(), 'cancel')).toEqual([]);
    });

    it('keeps repositories apart and deletes one with all its rows', async () => {
      const store = createCodeGraphRepository(storage.db);
      const [first, second] = [randomUUID(), randomUUID()];
      await store.applyChanges(first, { upsert: [facts('same.ts', { names: ['f'] })], remove: [] });
      await store.applyChanges(second, {
        upsert: [facts('same.ts', { hash: 'other', names: ['f'] })],
        remove: [],
      });
      expect(await store.deleteRepository(first)).toBe(true);
      expect(await store.deleteRepository(first)).toBe(false);
      expect(await store.revision(first)).toBe(0);
      expect(await store.loadFiles(first)).toEqual([]);
      expect(await store.findDefinitions(first, 'f')).toEqual([]);
      expect(await store.fileHashes(second)).toEqual(new Map([['same.ts', 'other']]));
      expect(await store.findDefinitions(second, 'f')).toHaveLength(1);
    });

    it('applies nothing when a change set fails part-way', async () => {
      const store = createCodeGraphRepository(storage.db);
      const key = randomUUID();
      await store.applyChanges(key, { upsert: [facts('keep.ts', { names: ['kept'] })], remove: [] });
      const many = Array.from({ length: 700 }, (_, index) => facts(`file-${index}.ts`, { names: ['made'] }));
      // Passes validation, then NOT NULL fails in the second insert batch: after the revision bump, the deletes
      // and the first batch were written inside the transaction.
      const broken = { ...facts('broken.ts'), language: null as unknown as FileFacts['language'] };
      await expect(
        store.applyChanges(key, { upsert: [...many, broken], remove: ['keep.ts'] }),
      ).rejects.toThrow();
      expect(await store.revision(key)).toBe(1);
      expect(await store.fileHashes(key)).toEqual(new Map([['keep.ts', 'hash-of-keep.ts']]));
      expect(await store.findDefinitions(key, 'kept')).toHaveLength(1);
      expect(await store.findDefinitions(key, 'made')).toEqual([]);
    });

    it('stores a 2,000-file batch of large facts and loads it back by path', async () => {
      const store = createCodeGraphRepository(storage.db);
      const key = randomUUID();
      // About 7 kB of JSON per file (13 MB in all), 40,000 definitions: a large real-world batch.
      const names = Array.from({ length: 20 }, (_, index) => `symbol${index}`);
      const files = Array.from({ length: 2_000 }, (_, index) =>
        facts(`src/module-${String(index).padStart(4, '0')}.ts`, {
          names,
          doc: 'Documentation. '.repeat(10),
        }),
      );
      expect(await store.applyChanges(key, { upsert: files, remove: [] })).toBe(1);
      expect((await store.fileHashes(key)).size).toBe(2_000);
      expect(await store.loadFiles(key)).toEqual(files);
      const wanted = files.slice(0, 1_500).map((file) => file.path);
      expect(await store.loadFiles(key, wanted)).toEqual(files.slice(0, 1_500));
      expect(await store.findDefinitions(key, 'symbol7')).toHaveLength(2_000);
      const removed = files.slice(0, 1_200).map((file) => file.path);
      expect(await store.applyChanges(key, { upsert: [], remove: removed })).toBe(2);
      expect((await store.fileHashes(key)).size).toBe(800);
      expect(await store.findDefinitions(key, 'symbol7')).toHaveLength(800);
      // A generous bound for a loaded machine: this test checks correctness at scale, bench/ measures speed.
    }, 180_000);

    it('lets other connections read the previous revision while a change set is being written', async () => {
      const pause = createPausePlugin();
      const writer = createCodeGraphRepository(storage.db.withPlugin(pause.plugin));
      const other = createCodeGraphRepository(reader.db);
      const key = randomUUID();
      await other.applyChanges(key, { upsert: [facts('old.ts', { names: ['before'] })], remove: [] });

      const writing = writer.applyChanges(key, {
        upsert: [facts('new.ts', { names: ['after'] })],
        remove: ['old.ts'],
      });
      await pause.reached;
      expect(await other.revision(key)).toBe(1);
      expect([...(await other.fileHashes(key)).keys()]).toEqual(['old.ts']);
      expect((await other.loadFiles(key)).map((file) => file.path)).toEqual(['old.ts']);
      expect(await other.findDefinitions(key, 'before')).toHaveLength(1);
      pause.release();

      expect(await writing).toBe(2);
      expect(await other.revision(key)).toBe(2);
      expect((await other.loadFiles(key)).map((file) => file.path)).toEqual(['new.ts']);
      expect(await other.findDefinitions(key, 'before')).toEqual([]);
    });

    it('gives concurrent change sets of one repository distinct, consecutive revisions', async () => {
      const store = createCodeGraphRepository(storage.db);
      const key = randomUUID();
      const revisions = await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          store.applyChanges(key, { upsert: [facts(`file-${index}.ts`)], remove: [] }),
        ),
      );
      expect(revisions.sort((left, right) => left - right)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.fileHashes(key)).size).toBe(6);
    });
  });
}

describe('the CodeGraphStore contract on SQLite', () => {
  let count = 0;
  const open = new Map<unknown, Storage>();
  runCodeGraphStoreContract({
    // A new database file per test: the contract expects an empty store each time.
    create: async () => {
      count += 1;
      const storage = await createSqliteStorage({ filename: join(root, `contract-${count}.db`) });
      const store = createCodeGraphRepository(storage.db);
      open.set(store, storage);
      return store;
    },
    destroy: async (store) => {
      await open.get(store)?.close();
      open.delete(store);
    },
  });
});

describe.skipIf(postgresSkip !== false)('the CodeGraphStore contract on PostgreSQL', () => {
  let storage: Storage | undefined;
  afterAll(async () => {
    await storage?.close();
  });
  runCodeGraphStoreContract({
    // One schema for the run, emptied before each test.
    create: async () => {
      storage ??= await createPostgresStorage({ connectionString: postgresUrl, schema });
      for (const table of ['code_graph_symbols', 'code_graph_files', 'code_graph_repositories'] as const)
        await storage.db.deleteFrom(table).execute();
      return createCodeGraphRepository(storage.db);
    },
  });
});
