import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { extractFileFacts } from './extract-file-facts.ts';
import type { FileFacts } from './file-facts.ts';

/** The outcome of extracting one file: `extractFileFacts`'s result, or the message of the error it threw. */
export interface FileExtraction {
  facts: FileFacts | undefined;
  warnings: string[];
  error?: string;
}

/** A run of files sent to a worker; the worker answers with their extractions in the same order. */
export interface ExtractionBatch {
  files: { path: string; content: string }[];
}

/** Most worker threads started for parsing, whatever the core count: beyond this, memory grows faster than speed. */
export const maximumParseWorkers = 4;

/** Below this many files to parse, starting workers (each loads the grammars) costs more than it saves. */
export const parallelExtractionThreshold = 200;

/** Files per message: enough that messaging costs little, few enough that the workers finish together. */
const batchSize = 16;

/**
 * How many parse workers this machine allows: its available parallelism, capped at `maximumParseWorkers`.
 *
 * @example
 * defaultParseWorkerCount(); // 2 on a two-core machine, 4 on a sixteen-core one
 */
export function defaultParseWorkerCount(): number {
  return Math.min(os.availableParallelism(), maximumParseWorkers);
}

/**
 * Extract one file on the calling thread; a parser exception becomes `error` instead of a rejection, as in
 * the workers, so one bad file never stops the rest.
 *
 * @example
 * const { facts } = await extractFileInProcess({ path: 'a.ts', content: 'export const a = 1;' });
 */
export async function extractFileInProcess(file: { path: string; content: string }): Promise<FileExtraction> {
  try {
    return await extractFileFacts(file);
  } catch (error) {
    return { facts: undefined, warnings: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/** Worker threads extracting the files added to them; see `startParseWorkers`. */
export interface ParseWorkerPool {
  /** Queue a file; its extraction is reported once, under `key`, in completion order. */
  add(key: number, file: { path: string; content: string }): void;
  /**
   * No more files: resolves when every added file is reported, then stops the workers. Rejects when a worker
   * could not start or died; `unreported()` then lists what the caller still has to extract itself.
   */
  finish(): Promise<void>;
  /** Keys added and not yet reported. */
  unreported(): number[];
  /** Stops the workers now (idempotent); nothing is reported afterwards. */
  close(): Promise<void>;
}

/**
 * Start `workerCount` worker threads that extract file facts; each initialises web-tree-sitter once and takes
 * batches from a shared queue, so files can be added while the caller is still reading the rest (the workers
 * start up meanwhile).
 *
 * @example
 * const pool = startParseWorkers({ workerCount: 2, onExtracted: (key, extraction) => results.set(key, extraction) });
 * files.forEach((file, index) => pool.add(index, file));
 * await pool.finish();
 */
export function startParseWorkers(options: {
  workerCount: number;
  onExtracted: (key: number, extraction: FileExtraction) => void;
  signal?: AbortSignal;
  /** The worker module; the code-graph parse worker by default (tests point it at one that fails). */
  workerUrl?: URL;
}): ParseWorkerPool {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const workerUrl = options.workerUrl ?? new URL(`./extract-file-facts-worker${extension}`, import.meta.url);
  const queue: { key: number; file: { path: string; content: string } }[] = [];
  const pending = new Set<number>();
  let finished = false;
  let stopped = false;
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // A failure before `finish` is awaited must not surface as an unhandled rejection; `finish` returns `done`.
  done.catch(() => undefined);

  const slots = Array.from({ length: Math.max(1, options.workerCount) }, () => ({
    worker: startWorker(workerUrl),
    batch: undefined as number[] | undefined,
  }));
  const close = async (): Promise<void> => {
    stopped = true;
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  };
  const fail = (error: Error): void => {
    if (stopped) return;
    void close();
    settle.reject(error);
  };
  const onAbort = (): void => {
    const reason: unknown = options.signal?.reason;
    fail(reason instanceof Error ? reason : new Error('The parse was aborted.'));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const dispatch = (): void => {
    for (const slot of slots) {
      if (stopped || slot.batch !== undefined) continue;
      if (queue.length < batchSize && !(finished && queue.length > 0)) break;
      const batch = queue.splice(0, batchSize);
      slot.batch = batch.map((entry) => entry.key);
      slot.worker.postMessage({ files: batch.map((entry) => entry.file) } satisfies ExtractionBatch);
    }
    if (finished && pending.size === 0 && !stopped) settle.resolve();
  };
  for (const slot of slots) {
    slot.worker.on('message', (extractions: FileExtraction[]) => {
      // A batch arriving after the pool stopped is the caller's to redo: reporting it too would count it twice.
      if (stopped) return;
      for (const [offset, extraction] of extractions.entries()) {
        const key = slot.batch?.[offset];
        if (key === undefined || !pending.delete(key)) continue;
        options.onExtracted(key, extraction);
      }
      slot.batch = undefined;
      dispatch();
    });
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`code-graph parse worker exited with code ${code}`)));
  }

  return {
    add(key, file) {
      pending.add(key);
      queue.push({ key, file });
      dispatch();
    },
    async finish() {
      finished = true;
      dispatch();
      try {
        await done;
      } finally {
        await close();
      }
    },
    unreported: () => [...pending].sort((left, right) => left - right),
    close,
  };
}

/**
 * A worker running `url`. Under a TypeScript loader (tsx, running the .ts sources) the worker registers the
 * loader first: `--import` hooks of the main thread do not reach worker threads.
 */
function startWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const loader = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loader)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}
