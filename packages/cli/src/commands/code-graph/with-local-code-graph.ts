import { statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildCodeGraph, indexRepository, type CodeGraph, type IndexRepositoryResult } from '@plumb/engines';
import { createCodeGraphRepository } from '@plumb/server';
import { exitCodes, failCommand } from '../../fail-command.ts';
import type { ProgramIo } from '../../program-io.ts';
import { withAdminStorage, type AdminStorageOptions } from '../admin-storage-options.ts';

export interface LocalCodeGraph {
  graph: CodeGraph;
  /** Absolute repository root. */
  root: string;
  index: IndexRepositoryResult;
}

/**
 * Brings the local index of a repository up to date and builds its graph, for `plumb explain` and
 * `plumb arch`. The index lives in the server's storage (the data directory's SQLite file, or
 * PLUMB_DATABASE_URL) under `local:<absolute root>`, so a second run parses only the files that changed.
 * A one-line summary of the indexing goes to stderr unless `--json`.
 *
 * @example await withLocalCodeGraph(io, command, { repo: '.' }, async ({ graph }) => graph.files.size);
 */
export async function withLocalCodeGraph<TResult>(
  io: ProgramIo,
  command: Command,
  options: AdminStorageOptions & { repo: string },
  work: (local: LocalCodeGraph) => Promise<TResult>,
): Promise<TResult> {
  const root = path.resolve(options.repo);
  let isDirectory = false;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isDirectory)
    failCommand(
      command,
      `error source_not_found: ${options.repo} is not a directory; pass the repository folder.`,
      {
        exitCode: exitCodes.usage,
      },
    );
  return withAdminStorage(io, command, options, async (storage) => {
    const store = createCodeGraphRepository(storage.db);
    const repository = `local:${root}`;
    const index = await indexRepository({ root, store, repository });
    if (!options.json) {
      const skipped = index.skipped.length > 0 ? `, ${index.skipped.length} skipped` : '';
      io.stderr.write(
        `indexed ${root}: ${index.files} files (${index.parsed} parsed, ${index.removed} removed${skipped}) in ${(index.durationMs / 1000).toFixed(1)} s\n`,
      );
      for (const warning of index.warnings.slice(0, 5)) io.stderr.write(`warning: ${warning}\n`);
      if (index.warnings.length > 5)
        io.stderr.write(`warning: ${index.warnings.length - 5} more warnings (see --json)\n`);
    }
    const graph = buildCodeGraph(await store.loadFiles(repository), index.revision, {
      importConfig: index.importConfig,
    });
    return work({ graph, root, index });
  });
}
