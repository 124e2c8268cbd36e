import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CodeGraphStore } from './code-graph-store.ts';
import { createMemoryCodeGraphStore } from './create-memory-code-graph-store.ts';
import { indexRepository, type FileStatCache } from './index-repository.ts';

const fixtures = path.join(import.meta.dirname, 'testdata', 'graph');
let root: string;
let store: CodeGraphStore;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumb-index-'));
  store = createMemoryCodeGraphStore();
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('indexRepository', () => {
  it('indexes an empty directory as zero files without writing', async () => {
    const result = await indexRepository({ root, store });
    expect(result).toMatchObject({
      revision: 0,
      files: 0,
      parsed: 0,
      removed: 0,
      skipped: [],
      unsupported: {},
    });
    expect(result.repository).toBe(path.resolve(root));
  });

  it('parses only new and changed files, removes deleted ones, and skips what it cannot parse', async () => {
    cpSync(path.join(fixtures, 'typescript'), root, { recursive: true });
    mkdirSync(path.join(root, 'generated'));
    writeFileSync(path.join(root, 'generated', 'schema.ts'), 'export const ignored = 1;\n');
    writeFileSync(path.join(root, 'src', 'logo.ts'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    const cold = await indexRepository({ root, store, repository: 'shop', batchSize: 2 });
    expect(cold.files).toBe(7);
    expect(cold.parsed).toBe(7);
    // Seven files in batches of two: four writes.
    expect(cold.revision).toBe(4);
    expect(cold.unsupported).toEqual({ '.json': 1, '.md': 1 });
    expect(cold.skipped).toEqual([{ path: 'src/logo.ts', reason: 'binary content' }]);
    expect(cold.warnings.some((warning) => warning.startsWith('src/broken.ts:'))).toBe(true);
    expect(cold.importConfig.typescript).toEqual([
      { directory: '', baseUrl: '', paths: { '@shop/*': ['src/*'] } },
    ]);
    const paths = [...(await store.fileHashes('shop')).keys()].sort();
    expect(paths).toEqual([
      'src/api.test.ts',
      'src/api.ts',
      'src/base-service.ts',
      'src/broken.ts',
      'src/db/order-repository.ts',
      'src/index.ts',
      'src/orders/order-service.ts',
    ]);
    const [broken] = await store.loadFiles('shop', ['src/broken.ts']);
    expect(broken?.parseErrors.length).toBeGreaterThan(0);
    expect(broken?.definitions.map((definition) => definition.name)).toContain('helper');

    const warm = await indexRepository({ root, store, repository: 'shop' });
    expect(warm).toMatchObject({ revision: 4, files: 7, parsed: 0, removed: 0 });

    writeFileSync(path.join(root, 'src', 'base-service.ts'), 'export class BaseService {}\n');
    unlinkSync(path.join(root, 'src', 'api.test.ts'));
    const touched = await indexRepository({ root, store, repository: 'shop' });
    expect(touched).toMatchObject({ revision: 5, files: 6, parsed: 1, removed: 1 });
    const [base] = await store.loadFiles('shop', ['src/base-service.ts']);
    expect(base?.definitions.map((definition) => definition.qualifiedName)).toEqual(['BaseService']);
  });

  it('skips reading files whose size and modification time are unchanged when given a stat cache', async () => {
    cpSync(path.join(fixtures, 'go'), root, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    for (const file of ['main.go', 'orders/store.go']) utimesSync(path.join(root, file), old, old);
    const statCache: FileStatCache = new Map();
    const cold = await indexRepository({ root, store, statCache });
    expect(cold.parsed).toBe(2);
    expect([...statCache.keys()].sort()).toEqual(['main.go', 'orders/store.go']);
    // Same size and time but different content: trusted, so not parsed (this is what the cache is for).
    writeFileSync(
      path.join(root, 'main.go'),
      (await readFile(path.join(root, 'main.go'), 'utf8')).replace('"1"', '"2"'),
    );
    utimesSync(path.join(root, 'main.go'), old, old);
    expect((await indexRepository({ root, store, statCache })).parsed).toBe(0);
    // Without the cache the content hash decides.
    expect((await indexRepository({ root, store })).parsed).toBe(1);
    // A fresh modification time is never trusted.
    writeFileSync(path.join(root, 'orders/store.go'), 'package orders\n');
    expect((await indexRepository({ root, store, statCache })).parsed).toBe(1);
  });

  it('lists files the extractor refuses with its reason', async () => {
    writeFileSync(path.join(root, 'ok.py'), 'def run():\n    return 1\n');
    writeFileSync(path.join(root, 'wide.js'), `const data = "${'x'.repeat(6000)}";\n`);
    const result = await indexRepository({ root, store, repository: 'refused' });
    expect(result.files).toBe(1);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]?.path).toBe('wide.js');
    expect(result.skipped[0]?.reason).toMatch(/^skipped, .*minified/);
  });

  it('indexes a large change set on worker threads with the same facts, warnings and batches as in-process', async () => {
    // 7 TypeScript files (one with syntax errors) copied 32 times: 224 files, over the 200-file worker threshold.
    for (let copy = 0; copy < 32; copy += 1)
      cpSync(path.join(fixtures, 'typescript', 'src'), path.join(root, `copy-${copy}`), { recursive: true });
    const inProcessStore = createMemoryCodeGraphStore();
    const inProcess = await indexRepository({
      root,
      store: inProcessStore,
      repository: 'r',
      parseWorkers: 0,
    });
    const onWorkers = await indexRepository({ root, store, repository: 'r', parseWorkers: 2, batchSize: 50 });
    expect(inProcess.parsed).toBe(224);
    expect(onWorkers.warnings.some((warning) => warning.startsWith('Parse worker threads failed'))).toBe(
      false,
    );
    const { durationMs: _inProcessMs, ...inProcessRest } = inProcess;
    const { durationMs: _onWorkersMs, ...onWorkersRest } = onWorkers;
    // Five batches of 50 or fewer; the in-process run wrote all 224 at once.
    expect(onWorkersRest).toEqual({ ...inProcessRest, revision: 5 });
    const paths = [...(await inProcessStore.fileHashes('r')).keys()].sort();
    expect(await store.loadFiles('r', paths)).toEqual(await inProcessStore.loadFiles('r', paths));
  }, 60_000);

  it('stops when the signal is aborted', async () => {
    cpSync(path.join(fixtures, 'python'), root, { recursive: true });
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    await expect(indexRepository({ root, store, signal: controller.signal })).rejects.toThrow(
      'stopped by the user',
    );
    expect(await store.revision(path.resolve(root))).toBe(0);
  });
});
