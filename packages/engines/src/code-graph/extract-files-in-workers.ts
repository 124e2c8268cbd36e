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

/** A run of consecutive files sent to a worker; `first` is the index of the first one in the whole list. */
export interface ExtractionBatch {
  first: number;
  files: { path: string; content: string }[];
}

/** Most worker threads started for parsing, whatever the core count: beyond this, memory grows faster than speed. */
export const maximumParseWorkers = 4;

/**
 * How many parse workers this machine allows: its available parallelism, capped at `maximumParseWorkers`.
 *
 * @example
 * defaultParseWorkerCount(); // 2 on a two-core machine, 4 on a sixteen-core one
 */
export function defaultParseWorkerCount(): number {
  return Math.min(os.availableParallelism(), maximumParseWorkers);
}

/** What `extractFiles` and `extractFilesInWorkers` report to, and how. */
export interface ExtractFilesOptions {
  /** Called once per file with its index in the list, in completion order (callers reorder if they need to). */
  onExtracted: (index: number, extraction: FileExtraction) => void;
  /** Worker threads to use when the list is longer than `threshold`; 0 extracts on the calling thread. */
  workerCount?: number;
  /** Fewer files than this are extracted in-process: starting a worker (grammars, queries) costs more. */
  threshold?: number;
  signal?: AbortSignal;
  /** The worker module; the code-graph parse worker by default (tests point it at one that fails). */
  workerUrl?: URL;
}

/** Below this many files to parse, starting workers (each loads the grammars) costs more than it saves. */
export const parallelExtractionThreshold = 200;

/**
 * Extract every file once: on worker threads when there are more than `threshold` files and workers are
 * allowed, the rest (all of them, or those a failed worker left) on the calling thread. The facts are the
 * same either way; a worker failure only adds a warning.
 *
 * @example
 * const facts: FileExtraction[] = [];
 * const { warnings } = await extractFiles(files, { onExtracted: (index, extraction) => (facts[index] = extraction) });
 */
export async function extractFiles(
  files: readonly { path: string; content: string }[],
  options: ExtractFilesOptions,
): Promise<{ warnings: string[] }> {
  const warnings: string[] = [];
  const done = new Uint8Array(files.length);
  const onExtracted = (index: number, extraction: FileExtraction): void => {
    done[index] = 1;
    options.onExtracted(index, extraction);
  };
  const workerCount = options.workerCount ?? defaultParseWorkerCount();
  if (workerCount > 0 && files.length > (options.threshold ?? parallelExtractionThreshold)) {
    await extractFilesInWorkers(files, { ...options, workerCount, onExtracted }).catch((error: unknown) => {
      if (options.signal?.aborted === true) throw error;
      warnings.push(
        `Parse worker threads failed (${error instanceof Error ? error.message : String(error)}); the remaining files were parsed in-process.`,
      );
    });
  }
  const remaining = [...files.keys()].filter((index) => done[index] === 0);
  await extractFilesInProcess(
    remaining.map((index) => files[index]!),
    (position, extraction) => onExtracted(remaining[position]!, extraction),
    options.signal,
  );
  return { warnings };
}

/**
 * Extract files on the calling thread, one after another (parsing is synchronous, so there is nothing to
 * overlap), reporting each as it is done.
 *
 * @example
 * await extractFilesInProcess([{ path: 'a.ts', content: 'export const a = 1;' }], (index, extraction) => {});
 */
export async function extractFilesInProcess(
  files: readonly { path: string; content: string }[],
  onExtracted: (index: number, extraction: FileExtraction) => void,
  signal?: AbortSignal,
): Promise<void> {
  for (const [index, file] of files.entries()) {
    signal?.throwIfAborted();
    onExtracted(index, await extractOne(file));
  }
}

async function extractOne(file: { path: string; content: string }): Promise<FileExtraction> {
  try {
    return await extractFileFacts(file);
  } catch (error) {
    return { facts: undefined, warnings: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Extract files on `workerCount` worker threads, each of which initialises web-tree-sitter once and takes
 * batches of consecutive files from a shared queue. `onExtracted` receives every file exactly once with its
 * index in `files`, in completion order (callers reorder if they need to). Rejects when a worker cannot start
 * or dies; the files already reported stay reported, and the caller extracts the rest in-process.
 *
 * @example
 * const done = new Set<number>();
 * await extractFilesInWorkers(files, { workerCount: 2, onExtracted: (index) => done.add(index) });
 */
export async function extractFilesInWorkers(
  files: readonly { path: string; content: string }[],
  options: ExtractFilesOptions & { workerCount: number },
): Promise<void> {
  const { workerCount, onExtracted, signal } = options;
  if (files.length === 0) return;
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const workerUrl = options.workerUrl ?? new URL(`./extract-file-facts-worker${extension}`, import.meta.url);
  // Small batches keep the workers finishing together; large enough that messaging costs little.
  const batchSize = Math.max(1, Math.min(32, Math.ceil(files.length / (workerCount * 8))));
  let cursor = 0;
  let stopped = false;
  const workers: Worker[] = [];
  const stopAll = (): void => {
    stopped = true;
    for (const worker of workers) void worker.terminate();
  };
  signal?.addEventListener('abort', stopAll, { once: true });
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, workerCount) }, async () => {
        const worker = startWorker(workerUrl);
        workers.push(worker);
        await new Promise<void>((resolve, reject) => {
          const next = (): void => {
            if (signal?.aborted === true) {
              reject(signal.reason instanceof Error ? signal.reason : new Error('The parse was aborted.'));
              return;
            }
            if (cursor >= files.length) {
              resolve();
              return;
            }
            const first = cursor;
            cursor = Math.min(files.length, cursor + batchSize);
            worker.postMessage({ first, files: files.slice(first, cursor) } satisfies ExtractionBatch);
          };
          worker.on('message', (message: { first: number; extractions: FileExtraction[] }) => {
            // A batch arriving after the pool stopped is redone by the caller: reporting it too would count it twice.
            if (stopped) return;
            for (const [offset, extraction] of message.extractions.entries())
              onExtracted(message.first + offset, extraction);
            next();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            reject(new Error(`code-graph parse worker exited with code ${code}`));
          });
          next();
        });
      }),
    );
  } finally {
    stopped = true;
    signal?.removeEventListener('abort', stopAll);
    // Also stops the healthy workers when another one failed, so none keeps parsing what will be redone.
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
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
