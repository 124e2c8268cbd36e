import { PlumbError } from '@plumb/protocol';
import type { CodeGraphStore } from './code-graph-store.ts';
import type { FileFacts } from './file-facts.ts';

interface StoredRepository {
  revision: number;
  files: Map<string, FileFacts>;
}

/**
 * A `CodeGraphStore` in process memory, for tests, the CLI's one-off runs and as the reference behaviour of the
 * contract. Changes are validated first and then swapped in as a new map, so a reader holding the previous map
 * never sees half of a batch; stored and returned facts are copies, so callers cannot change the store by
 * mutating what they passed or loaded.
 *
 * @example
 * const store = createMemoryCodeGraphStore();
 * await store.applyChanges('/repo', { upsert: [facts], remove: [] }); // => 1
 */
export function createMemoryCodeGraphStore(): CodeGraphStore {
  const repositories = new Map<string, StoredRepository>();

  return {
    async fileHashes(repository) {
      const stored = repositories.get(repository);
      return new Map([...(stored?.files ?? [])].map(([path, facts]) => [path, facts.hash]));
    },

    async applyChanges(repository, changes) {
      validateChanges(changes);
      const stored = repositories.get(repository);
      const files = new Map(stored?.files);
      for (const path of changes.remove) files.delete(path);
      for (const facts of changes.upsert) files.set(facts.path, structuredClone(facts));
      const revision = (stored?.revision ?? 0) + 1;
      repositories.set(repository, { revision, files });
      return revision;
    },

    async loadFiles(repository, paths) {
      const files = repositories.get(repository)?.files;
      if (files === undefined) return [];
      const selected =
        paths === undefined
          ? [...files.values()]
          : [...new Set(paths)].flatMap((path) => {
              const facts = files.get(path);
              return facts === undefined ? [] : [facts];
            });
      return selected
        .sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0))
        .map((facts) => structuredClone(facts));
    },

    async revision(repository) {
      return repositories.get(repository)?.revision ?? 0;
    },

    async deleteRepository(repository) {
      return repositories.delete(repository);
    },
  };
}

/**
 * The rules every store enforces before writing anything, so a bad batch is refused whole. Exported for the SQL
 * store, which must refuse exactly the same batches.
 */
export function validateChanges(changes: { upsert: readonly FileFacts[]; remove: readonly string[] }): void {
  const upserted = new Set<string>();
  for (const [index, facts] of changes.upsert.entries()) {
    const problem = pathProblem(facts.path) ?? (facts.hash ? undefined : 'has no content hash');
    if (problem !== undefined) {
      throw new PlumbError('invalid_request', `Code graph file ${JSON.stringify(facts.path)} ${problem}.`, {
        param: `upsert.${index}`,
      });
    }
    if (upserted.has(facts.path)) {
      throw new PlumbError(
        'invalid_request',
        `Code graph file "${facts.path}" appears twice in one batch; send each path once.`,
        { param: `upsert.${index}.path` },
      );
    }
    upserted.add(facts.path);
  }
  for (const [index, path] of changes.remove.entries()) {
    if (upserted.has(path)) {
      throw new PlumbError(
        'invalid_request',
        `Code graph file "${path}" is both stored and removed in one batch; send it in only one of the lists.`,
        { param: `remove.${index}` },
      );
    }
  }
}

function pathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return 'has no path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) {
    return 'is not a repository-relative path with forward slashes';
  }
  if (path.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) {
    return 'has empty, "." or ".." segments; give the normalised repository-relative path';
  }
  return undefined;
}
