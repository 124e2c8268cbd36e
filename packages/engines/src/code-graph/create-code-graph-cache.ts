import { buildCodeGraph } from './build-code-graph.ts';
import type { CodeGraph } from './code-graph.ts';
import type { CodeGraphStore } from './code-graph-store.ts';
import { readImportResolutionConfig } from './import-resolution-config.ts';

export interface CodeGraphCache {
  /**
   * The built graph of a repository at the store's current revision: rebuilt only when the revision moved, so
   * a warm `explain` costs one revision query. Readers keep the graph they got while a newer one is built.
   */
  get(repository: string, root: string): Promise<CodeGraph>;
  /** Drops a repository's graph (after it is deleted). */
  forget(repository: string): void;
}

/**
 * Keeps the most recently used built graphs in memory (default four), keyed by repository and revision.
 * Concurrent requests for the same revision share one build.
 *
 * @example const graph = await createCodeGraphCache({ store }).get('shop', '/srv/repositories/shop');
 */
export function createCodeGraphCache(options: { store: CodeGraphStore; capacity?: number }): CodeGraphCache {
  const capacity = options.capacity ?? 4;
  const entries = new Map<string, { revision: number; graph: Promise<CodeGraph> }>();
  return {
    async get(repository, root) {
      const revision = await options.store.revision(repository);
      const cached = entries.get(repository);
      if (cached && cached.revision === revision) {
        entries.delete(repository);
        entries.set(repository, cached);
        return cached.graph;
      }
      const graph = (async () => {
        const files = await options.store.loadFiles(repository);
        const { config } = await readImportResolutionConfig(
          root,
          files.map((file) => file.path),
        );
        return buildCodeGraph(files, revision, { importConfig: config });
      })();
      entries.set(repository, { revision, graph });
      graph.catch(() => {
        if (entries.get(repository)?.graph === graph) entries.delete(repository);
      });
      while (entries.size > capacity) entries.delete(entries.keys().next().value!);
      return graph;
    },
    forget(repository) {
      entries.delete(repository);
    },
  };
}
