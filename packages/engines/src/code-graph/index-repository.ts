import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CodeGraphStore } from './code-graph-store.ts';
import { languageOfPath } from './extract-file-facts.ts';
import {
  defaultParseWorkerCount,
  extractFileInProcess,
  parallelExtractionThreshold,
  startParseWorkers,
  type FileExtraction,
  type ParseWorkerPool,
} from './extract-files-in-workers.ts';
import type { FileFacts } from './file-facts.ts';
import { readImportResolutionConfig, type ImportResolutionConfig } from './import-resolution-config.ts';
import { listSourceFiles, type SkippedFile, type SourceFile } from './list-source-files.ts';

export interface IndexRepositoryOptions {
  root: string;
  store: CodeGraphStore;
  /** The store's key for this repository; the absolute root by default. */
  repository?: string;
  signal?: AbortSignal;
  /** Files read at once (default 8). */
  concurrency?: number;
  /**
   * Worker threads that parse when more than 200 files need parsing (default: the available parallelism,
   * at most 4); 0 parses on the calling thread. Results are identical either way.
   */
  parseWorkers?: number;
  /** Files per `applyChanges` (default 500): readers see the earlier revision until each batch lands. */
  batchSize?: number;
  include?: readonly string[];
  exclude?: readonly string[];
  maxFileBytes?: number;
  /**
   * Size, modification time and hash of each file from earlier runs in this process (the CLI's watch mode,
   * the server): a file whose size and time are unchanged is not read again. Filled in by every run.
   */
  statCache?: FileStatCache;
}

/** Path → what a file looked like when it was last hashed. */
export type FileStatCache = Map<
  string,
  { size: number; modifiedMs: number; hash: string; hashedAtMs: number }
>;

/** A change within this window of the last hash may share its modification time: such entries are re-read. */
const racyWindowMs = 2000;

export interface IndexRepositoryResult {
  repository: string;
  /** The store's revision after this run (unchanged when nothing changed). */
  revision: number;
  /** Source files in the index now. */
  files: number;
  /** Files parsed in this run (new or changed). */
  parsed: number;
  /** Files removed from the index (deleted, or now ignored or skipped). */
  removed: number;
  skipped: SkippedFile[];
  /** Files of languages the code graph does not parse, by extension. */
  unsupported: Record<string, number>;
  /** What `buildCodeGraph` needs to resolve tsconfig paths, Go modules and workspace packages. */
  importConfig: ImportResolutionConfig;
  warnings: string[];
  durationMs: number;
}

/**
 * Bring a repository's index up to date: list its source files, hash each (SHA-256 of the text), parse only
 * the new and changed ones, and write them to the store in batches, removing files that are gone. An
 * unchanged repository costs one read and hash per file and no write.
 *
 * @example
 * const result = await indexRepository({ root: '/repo', store: createMemoryCodeGraphStore() });
 * // => { revision: 1, files: 412, parsed: 412, removed: 0, skipped: [], unsupported: { '.md': 9 }, ... }
 */
export async function indexRepository(options: IndexRepositoryOptions): Promise<IndexRepositoryResult> {
  const started = performance.now();
  const { store, signal } = options;
  const repository = options.repository ?? path.resolve(options.root);
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const listing = await listSourceFiles(options.root, {
    languageOf: languageOfPath,
    ...(options.include === undefined ? {} : { include: options.include }),
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }),
    ...(signal === undefined ? {} : { signal }),
  });
  const stored = await store.fileHashes(repository);
  const skipped = [...listing.skipped];
  const warnings: string[] = [];
  const indexed = new Set<string>();
  let pending: FileFacts[] = [];
  let parsed = 0;
  let revision: number | undefined;
  // Batches are written one after another, in the order they filled up.
  let writes: Promise<void> = Promise.resolve();
  const flush = (remove: string[] = []): void => {
    const upsert = pending;
    pending = [];
    if (upsert.length === 0 && remove.length === 0) return;
    writes = writes.then(async () => {
      revision = await store.applyChanges(repository, { upsert, remove });
    });
  };

  // Each listed file's outcome by listing index: facts to take, `null` for nothing to take (unchanged or
  // skipped while reading). Outcomes are taken strictly in listing order, whatever finishes first, so
  // batches, warnings and revisions are the same with or without worker threads.
  const outcomes: (FileExtraction | null | undefined)[] = Array.from(
    { length: listing.files.length },
    () => undefined,
  );
  let nextToTake = 0;
  const take = (extraction: FileExtraction, file: SourceFile): void => {
    if (extraction.error !== undefined) {
      // One file the parser cannot handle must not stop the index of the rest.
      skipped.push({ path: file.path, reason: `the parser failed (${extraction.error})` });
      return;
    }
    if (extraction.facts === undefined) {
      const prefix = `${file.path}: `;
      const reason = extraction.warnings
        .map((warning) => (warning.startsWith(prefix) ? warning.slice(prefix.length) : warning))
        .join(' ');
      skipped.push({ path: file.path, reason: reason || 'not parsed' });
      return;
    }
    warnings.push(...extraction.warnings);
    indexed.add(file.path);
    parsed += 1;
    pending.push(extraction.facts);
    if (pending.length >= batchSize) flush();
  };
  const settle = (index: number, outcome: FileExtraction | null): void => {
    outcomes[index] = outcome;
    for (let ready = outcomes[nextToTake]; ready !== undefined; ready = outcomes[nextToTake]) {
      if (ready !== null) take(ready, listing.files[nextToTake]!);
      // Released once taken: a large repository's facts stream to the store instead of piling up.
      outcomes[nextToTake] = null;
      nextToTake += 1;
    }
  };
  /** Read, changed, not yet extracted: what the in-process pass parses if no worker does. */
  const toParse = new Map<number, { path: string; content: string }>();
  const onExtracted = (index: number, extraction: FileExtraction): void => {
    toParse.delete(index);
    settle(index, extraction);
  };
  const workerCount = options.parseWorkers ?? defaultParseWorkerCount();
  let pool: ParseWorkerPool | undefined;
  const startPool = (): ParseWorkerPool =>
    startParseWorkers({ workerCount, onExtracted, ...(signal === undefined ? {} : { signal }) });
  // Many files the store has never seen (a cold index): start the workers now, so their start-up overlaps
  // the reading.
  const unseen = listing.files.filter((file) => !stored.has(file.path)).length;
  if (workerCount > 0 && unseen > parallelExtractionThreshold) pool = startPool();

  const readOne = async (file: SourceFile, index: number): Promise<void> => {
    const cached = options.statCache?.get(file.path);
    if (
      cached !== undefined &&
      cached.size === file.size &&
      cached.modifiedMs === file.modifiedMs &&
      file.modifiedMs + racyWindowMs < cached.hashedAtMs &&
      stored.get(file.path) === cached.hash
    ) {
      indexed.add(file.path);
      settle(index, null);
      return;
    }
    let content: string;
    try {
      const bytes = await readFile(file.absolutePath);
      if (bytes.subarray(0, 8000).includes(0)) {
        skipped.push({ path: file.path, reason: 'binary content' });
        settle(index, null);
        return;
      }
      content = bytes.toString('utf8');
    } catch (error) {
      skipped.push({
        path: file.path,
        reason: `unreadable (${error instanceof Error ? error.message : 'error'})`,
      });
      settle(index, null);
      return;
    }
    const hash = createHash('sha256').update(content).digest('hex');
    options.statCache?.set(file.path, {
      size: file.size,
      modifiedMs: file.modifiedMs,
      hash,
      hashedAtMs: Date.now(),
    });
    if (stored.get(file.path) === hash) {
      indexed.add(file.path);
      settle(index, null);
      return;
    }
    toParse.set(index, { path: file.path, content });
    pool?.add(index, { path: file.path, content });
  };

  try {
    let cursor = 0;
    const reader = async (): Promise<void> => {
      while (cursor < listing.files.length) {
        signal?.throwIfAborted();
        const index = cursor;
        cursor += 1;
        const file = listing.files[index];
        if (file !== undefined) await readOne(file, index);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, () => reader()));
    if (pool === undefined && workerCount > 0 && toParse.size > parallelExtractionThreshold) {
      pool = startPool();
      for (const [index, file] of toParse) pool.add(index, file);
    }
    if (pool !== undefined) {
      await pool.finish().catch((error: unknown) => {
        if (signal?.aborted === true) throw error;
        // Workers that cannot start (or die) leave their files to the in-process pass below.
        warnings.push(
          `Parse worker threads failed (${error instanceof Error ? error.message : String(error)}); the remaining files were parsed in-process.`,
        );
      });
    }
    for (const index of [...toParse.keys()].sort((left, right) => left - right)) {
      signal?.throwIfAborted();
      onExtracted(index, await extractFileInProcess(toParse.get(index)!));
    }
  } finally {
    await pool?.close();
    // Batches already queued still land, so a cancelled run leaves a consistent, partly updated index.
    await writes.catch(() => undefined);
  }
  const removed = [...stored.keys()].filter((stale) => !indexed.has(stale)).sort();
  flush(removed);
  await writes;

  const config = await readImportResolutionConfig(options.root, [...indexed]);
  warnings.push(...config.warnings);
  skipped.sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
  return {
    repository,
    revision: revision ?? (await store.revision(repository)),
    files: indexed.size,
    parsed,
    removed: removed.length,
    skipped,
    unsupported: listing.unsupported,
    importConfig: config.config,
    warnings,
    durationMs: Math.round(performance.now() - started),
  };
}
