// Code graph: index throughput against universal-ctags on the same files in the same run, re-index after one
// edit, graph build and warm `explain`, with the engines' memory store and the server's SQLite store.
import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createMemoryCodeGraphStore, type CodeGraphStore } from '@plumb/engines';
import { createCodeGraphRepository, openStorage } from '@plumb/server';
import {
  measureCodeGraphIndex,
  type CodeGraphIndexMeasurement,
} from './code-graph/measure-code-graph-index.ts';
import { ctagsAvailable, ctagsPath, runCtags, type CtagsRun } from './code-graph/run-ctags.ts';
import { writeSyntheticRepository } from './code-graph/write-synthetic-repository.ts';
import { checkTarget, formatNumber, type ScenarioReport, type TargetCheck } from './scenario-report.ts';
import { repositoryRoot } from './start-child-server.ts';
import { median } from './summarize-samples.ts';
import { createTemporaryDirectory } from './temporary-directories.ts';

export interface CodeGraphScenarioOptions {
  /** Source files of the synthetic TypeScript repository (10,000 full, 2,000 quick). */
  syntheticFiles: number;
  seed: number;
  /** ctags runs per tree (median reported). */
  ctagsRounds: number;
  /** Files edited one at a time for the incremental measure. */
  touches: number;
  /** Symbols explained on the warm index. */
  explains: number;
  progress: (message: string) => void;
}

type Measurement = Omit<CodeGraphIndexMeasurement, 'indexedPaths'>;

interface TreeResult {
  name: string;
  lines?: number;
  ctags: (CtagsRun & { samples: number[] }) | undefined;
  stores: Measurement[];
}

const targetFiles = 10_000;
const storeKinds = ['memory', 'SQLite'] as const;

async function withStore<T>(
  kind: (typeof storeKinds)[number],
  use: (store: CodeGraphStore) => Promise<T>,
): Promise<T> {
  if (kind === 'memory') return use(createMemoryCodeGraphStore());
  const storage = await openStorage({
    dataDirectory: createTemporaryDirectory('plumb-bench-code-graph-db-'),
  });
  try {
    return await use(createCodeGraphRepository(storage.db));
  } finally {
    await storage.close();
  }
}

/** Plumb with each store, then ctags (median of a few runs) on exactly the files Plumb indexed. */
async function measureTree(
  name: string,
  root: string,
  touchable: string[],
  options: CodeGraphScenarioOptions,
) {
  const stores: Measurement[] = [];
  let indexedPaths: string[] = [];
  for (const kind of storeKinds) {
    options.progress(
      `code graph: ${name}, ${kind} store: cold index, explain, ${options.touches} one-file edits`,
    );
    const { indexedPaths: paths, ...measured } = await withStore(kind, (store) =>
      measureCodeGraphIndex({
        label: kind,
        root,
        store,
        touchable,
        touches: options.touches,
        explains: options.explains,
      }),
    );
    stores.push(measured);
    if (indexedPaths.length === 0) indexedPaths = paths;
  }
  let ctags: TreeResult['ctags'];
  if (ctagsAvailable()) {
    options.progress(
      `code graph: ${name}, ctags on the same ${formatNumber(indexedPaths.length, 0)} files × ${options.ctagsRounds}`,
    );
    const runs: CtagsRun[] = [];
    for (let round = 0; round < options.ctagsRounds; round += 1)
      runs.push(await runCtags(root, indexedPaths));
    const sorted = [...runs].sort((left, right) => left.seconds - right.seconds);
    ctags = {
      ...sorted[Math.floor(sorted.length / 2)]!,
      seconds: median(runs.map((run) => run.seconds)),
      samples: runs.map((run) => run.seconds),
    };
  }
  return { name, ctags, stores };
}

/** This repository's packages/ (no node_modules), with the root manifests so workspace imports resolve. */
function copyOwnPackages(): string {
  const root = createTemporaryDirectory('plumb-bench-code-graph-own-');
  for (const file of ['package.json', 'tsconfig.json', '.gitignore'])
    cpSync(path.join(repositoryRoot, file), path.join(root, file));
  cpSync(path.join(repositoryRoot, 'packages'), path.join(root, 'packages'), {
    recursive: true,
    preserveTimestamps: true,
    filter: (source) => path.basename(source) !== 'node_modules',
  });
  return root;
}

/**
 * Builds the trees, measures them and reports the table and targets. In quick mode the synthetic tree is
 * smaller and the 10,000-file cold target is checked on the time projected at the measured rate.
 *
 * @example
 * const report = await runCodeGraphScenario({ syntheticFiles: 2000, seed: 1, ctagsRounds: 3, touches: 3, explains: 20, progress: console.error });
 */
export async function runCodeGraphScenario(options: CodeGraphScenarioOptions): Promise<ScenarioReport> {
  const notes: string[] = [];
  options.progress(
    `code graph: writing a ${formatNumber(options.syntheticFiles, 0)}-file synthetic TypeScript repository`,
  );
  const syntheticRoot = createTemporaryDirectory('plumb-bench-code-graph-synthetic-');
  const synthetic = await writeSyntheticRepository({
    root: syntheticRoot,
    files: options.syntheticFiles,
    seed: options.seed,
  });
  const syntheticTouchable = synthetic.plan.modules
    .filter((module) => module.kind === 'module')
    .map((module) => module.path);
  const trees: TreeResult[] = [
    {
      ...(await measureTree('synthetic TS', syntheticRoot, syntheticTouchable, options)),
      lines: synthetic.lines,
    },
  ];
  const ownRoot = copyOwnPackages();
  const ownTouchable = readdirSync(path.join(ownRoot, 'packages/engines/src'), {
    recursive: true,
    encoding: 'utf8',
  })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('testdata'))
    .map((file) => `packages/engines/src/${file.split(path.sep).join('/')}`)
    .sort();
  trees.push(await measureTree('packages/', ownRoot, ownTouchable, options));
  if (!ctagsAvailable())
    notes.push(
      `universal-ctags is not installed (${ctagsPath}; Debian package universal-ctags): the peer columns are empty.`,
    );

  const columns = trees.flatMap((tree) => [
    ...tree.stores.map((measured) => ({ tree, measured, ctags: undefined })),
    { tree, measured: undefined, ctags: tree.ctags },
  ]);
  const headers = [
    'measure',
    ...columns.map(
      (column) => `${column.tree.name} · ${column.measured ? `Plumb ${column.measured.store}` : 'ctags'}`,
    ),
  ];
  const cell = (format: (column: (typeof columns)[number]) => string) =>
    columns.map((column) => format(column));
  const plumb = (format: (measured: Measurement, tree: TreeResult) => string) =>
    cell((column) => (column.measured ? format(column.measured, column.tree) : ''));
  const seconds = (value: number) => `${formatNumber(value, 2)} s`;
  const milliseconds = (value: number) => `${formatNumber(value, 1)} ms`;
  const rows: string[][] = [
    ['files', ...cell((column) => (column.measured ? formatNumber(column.measured.cold.files, 0) : column.ctags ? `${formatNumber(column.tree.stores[0]!.cold.files, 0)} (${formatNumber(column.ctags.filesWithTags, 0)} with tags)` : 'n/a'))],
    ['cold index', ...cell((column) => (column.measured ? seconds(column.measured.cold.seconds) : column.ctags ? seconds(column.ctags.seconds) : 'n/a'))],
    ['files/s', ...cell((column) => (column.measured ? formatNumber(column.measured.cold.files / column.measured.cold.seconds, 0) : column.ctags ? formatNumber(column.tree.stores[0]!.cold.files / column.ctags.seconds, 0) : 'n/a'))],
    ['definitions', ...cell((column) => (column.measured ? formatNumber(column.measured.cold.definitions, 0) : column.ctags ? formatNumber(column.ctags.definitions, 0) : 'n/a'))],
    ['definitions/s', ...cell((column) => (column.measured ? formatNumber(column.measured.cold.definitions / column.measured.cold.seconds, 0) : column.ctags ? formatNumber(column.ctags.definitions / column.ctags.seconds, 0) : 'n/a'))],
    ['references (/s)', ...plumb((measured) => `${formatNumber(measured.cold.references, 0)} (${formatNumber(measured.cold.references / measured.cold.seconds, 0)}/s)`)],
    ['Plumb / ctags, files/s', ...plumb((measured, tree) => (tree.ctags ? `${formatNumber(tree.ctags.seconds / measured.cold.seconds, 3)} ×` : 'n/a'))],
    ['Plumb / ctags, definitions/s', ...plumb((measured, tree) => (tree.ctags ? `${formatNumber((measured.cold.definitions / measured.cold.seconds) / (tree.ctags.definitions / tree.ctags.seconds), 3)} ×` : 'n/a'))],
    ['re-index, one file edited (stat cache)', ...plumb((measured) => `${seconds(measured.incrementalSeconds)} (parsed ${measured.incrementalParsed.slice(0, -1).join('/')})`)],
    ['re-index, one file edited (no stat cache)', ...plumb((measured) => seconds(measured.incrementalWithoutStatCacheSeconds))],
    ['load facts from the store', ...plumb((measured) => seconds(measured.loadSeconds))],
    ['graph from the store (load + resolve)', ...plumb((measured) => seconds(measured.graphFromStoreSeconds))],
    ['graph rebuilt after an edit', ...plumb((measured) => seconds(measured.rebuildAfterTouchSeconds))],
    ['graph: definitions / edges / file imports', ...plumb((measured) => `${formatNumber(measured.graph.definitions, 0)} / ${formatNumber(measured.graph.edges, 0)} / ${formatNumber(measured.graph.fileDependencies, 0)}`)],
    [`explain, warm (p50 / max of ${options.explains})`, ...plumb((measured) => `${milliseconds(median(measured.explainMilliseconds))} / ${milliseconds(Math.max(...measured.explainMilliseconds))}`)],
  ]; // prettier-ignore

  const syntheticTree = trees[0]!;
  const quick = options.syntheticFiles < targetFiles;
  const targets: TargetCheck[] = syntheticTree.stores.flatMap((measured) => {
    const projected = (measured.cold.seconds / measured.cold.files) * targetFiles;
    return [
      checkTarget({
        name: `code graph (${measured.store}): cold index of ${formatNumber(targetFiles, 0)} TS files${quick ? `, projected from ${formatNumber(measured.cold.files, 0)}` : ''}`,
        value: quick ? projected : measured.cold.seconds,
        comparison: '<=',
        limit: 60,
        unit: 's',
      }),
      checkTarget({ name: `code graph (${measured.store}): re-index after one edit, ${formatNumber(measured.cold.files, 0)} files`, value: measured.incrementalSeconds, comparison: '<=', limit: 2, unit: 's' }),
      checkTarget({ name: `code graph (${measured.store}): explain on a warm index, p50`, value: median(measured.explainMilliseconds), comparison: '<=', limit: 300, unit: 'ms' }),
    ];
  }); // prettier-ignore

  notes.push(
    `synthetic TS: ${formatNumber(synthetic.files, 0)} files, ${formatNumber(synthetic.lines, 0)} lines (seed ${options.seed}); packages/: a copy of this repository's packages without node_modules.`,
    'ctags (universal-ctags, JSON output) is given the exact file list Plumb indexed; it extracts definitions only, Plumb also references, imports and doc comments.',
    'Re-index: one file appended to, then indexRepository on the same store; the stat cache is the server\'s (unchanged size and mtime → no read). "no stat cache" is the CLI\'s one-shot run (every file read and hashed).',
    'Explain: createCodeGraphCache().get (revision check against the store) + explainName on distinct symbols; the graph was built once before.',
  );
  if (quick)
    notes.push(
      `Quick mode: the 10,000-file cold target is checked on the time projected at the measured files/s; run without --quick for the real tree.`,
    );
  for (const tree of trees)
    for (const warning of tree.ctags?.warnings ?? []) notes.push(`ctags on ${tree.name}: ${warning}`);

  return {
    name: 'code-graph',
    title:
      'Code graph: index throughput vs universal-ctags, re-index after one edit, graph build and warm explain',
    table: { headers, rows },
    notes,
    targets,
    data: { options: { ...options, progress: undefined }, trees },
  };
}
