import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createCodeGraphCache,
  explainName,
  indexRepository,
  type CodeGraph,
  type CodeGraphStore,
  type FileStatCache,
} from '@plumb/engines';
import { median } from '../summarize-samples.ts';

export interface CodeGraphIndexMeasurement {
  store: string;
  cold: {
    seconds: number;
    files: number;
    definitions: number;
    references: number;
    skipped: number;
    warnings: number;
  };
  /** Re-index after changing one file, with the server's stat cache: median over `touches` files. */
  incrementalSeconds: number;
  incrementalSamples: number[];
  /** The same re-index without a stat cache (the CLI's one-shot run: every file read and hashed again). */
  incrementalWithoutStatCacheSeconds: number;
  /** Files parsed by the incremental runs (1 each when only the touched file was re-parsed). */
  incrementalParsed: number[];
  /** Reading every file's facts from the store (`loadFiles`) alone. */
  loadSeconds: number;
  /** The first `createCodeGraphCache().get`: load from the store, read tsconfig, resolve into a graph. */
  graphFromStoreSeconds: number;
  graph: { definitions: number; edges: number; fileDependencies: number };
  /** `createCodeGraphCache().get` (one revision query) + `explainName`, per symbol. */
  explainMilliseconds: number[];
  explainSymbols: string[];
  /** The graph rebuilt through the cache after a touch (what the next explain after an edit waits for). */
  rebuildAfterTouchSeconds: number;
  /** The files the cold run indexed, so a peer can be given exactly the same list. */
  indexedPaths: string[];
}

/**
 * Up to `count` definitions that `explainName` resolves without ambiguity (classes, interfaces and functions
 * whose name is unique; methods by their qualified name), spread evenly over the sorted ids.
 */
function pickSymbols(graph: CodeGraph, count: number): string[] {
  const candidates = [...graph.definitions.values()]
    .filter((definition) => ['class', 'interface', 'function', 'method'].includes(definition.kind))
    .filter((definition) => !graph.files.get(definition.path)?.isTest)
    .map((definition) => (definition.kind === 'method' ? definition.qualifiedName : definition.name))
    .filter((name) => name.includes('.') || graph.byName(name).length === 1)
    .sort();
  const unique = [...new Set(candidates)];
  const stride = Math.max(1, Math.floor(unique.length / count));
  return unique.filter((_, position) => position % stride === 0).slice(0, count);
}

/**
 * One store's run on one tree: cold index (with a fresh stat cache, as the server keeps one per repository),
 * graph load and build, warm `explain` through the graph cache, then `touches` edits of one file each, re-indexed
 * with the stat cache, and one without it.
 *
 * @example
 * const measured = await measureCodeGraphIndex({ label: 'memory', root, store: createMemoryCodeGraphStore(), touchable, touches: 3 });
 */
export async function measureCodeGraphIndex(options: {
  label: string;
  root: string;
  store: CodeGraphStore;
  /** Repository-relative source files that may be edited (appended to) by the incremental step. */
  touchable: readonly string[];
  touches: number;
  explains: number;
}): Promise<CodeGraphIndexMeasurement> {
  const { root, store } = options;
  const statCache: FileStatCache = new Map();
  const coldStarted = performance.now();
  const cold = await indexRepository({ root, store, statCache });
  const coldSeconds = (performance.now() - coldStarted) / 1000;
  const repository = cold.repository;
  const indexedPaths = [...(await store.fileHashes(repository)).keys()].sort();

  const loadStarted = performance.now();
  const files = await store.loadFiles(repository);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  let definitions = 0;
  let references = 0;
  for (const file of files) {
    definitions += file.definitions.length;
    references += file.references.length;
  }

  const cache = createCodeGraphCache({ store });
  const buildStarted = performance.now();
  const graph = await cache.get(repository, root);
  const graphFromStoreSeconds = (performance.now() - buildStarted) / 1000;

  const explainSymbols = pickSymbols(graph, options.explains);
  const explainMilliseconds: number[] = [];
  for (const symbol of explainSymbols) {
    const started = performance.now();
    const warm = await cache.get(repository, root);
    explainName(warm, symbol);
    explainMilliseconds.push(performance.now() - started);
  }

  const incrementalSamples: number[] = [];
  const incrementalParsed: number[] = [];
  let rebuildAfterTouchSeconds = Number.NaN;
  const stride = Math.max(1, Math.floor(options.touchable.length / (options.touches + 1)));
  for (let touch = 0; touch < options.touches; touch += 1) {
    const file = options.touchable[(touch + 1) * stride] ?? options.touchable[0]!;
    await appendFile(
      path.join(root, file),
      `\nexport function touchedByBench${touch}(value: number): number {\n  return value * ${touch + 2};\n}\n`,
    );
    const started = performance.now();
    const result = await indexRepository({ root, store, statCache });
    incrementalSamples.push((performance.now() - started) / 1000);
    incrementalParsed.push(result.parsed);
    if (touch === 0) {
      const rebuildStarted = performance.now();
      await cache.get(repository, root);
      rebuildAfterTouchSeconds = (performance.now() - rebuildStarted) / 1000;
    }
  }
  const oneShotFile = options.touchable[0]!;
  await appendFile(path.join(root, oneShotFile), '\n// edited again by the bench\n');
  const oneShotStarted = performance.now();
  const oneShot = await indexRepository({ root, store });
  const incrementalWithoutStatCacheSeconds = (performance.now() - oneShotStarted) / 1000;
  incrementalParsed.push(oneShot.parsed);

  return {
    store: options.label,
    cold: {
      seconds: coldSeconds,
      files: cold.files,
      definitions,
      references,
      skipped: cold.skipped.length,
      warnings: cold.warnings.length,
    },
    incrementalSeconds: median(incrementalSamples),
    incrementalSamples,
    incrementalWithoutStatCacheSeconds,
    incrementalParsed,
    loadSeconds,
    graphFromStoreSeconds,
    graph: {
      definitions: graph.definitions.size,
      edges: graph.edges.length,
      fileDependencies: graph.fileDependencies.length,
    },
    explainMilliseconds,
    explainSymbols,
    rebuildAfterTouchSeconds,
    indexedPaths,
  };
}
