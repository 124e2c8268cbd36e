import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  analyzeArchitecture,
  createCodeGraphCache,
  decompose,
  decompositionGraphFromCodeGraph,
  mergeRuntimeTrace,
  parseRuntimeTrace,
  type DecompositionResult,
  explainName,
  indexRepository,
  parseLayerRules,
  type ArchitectureReport,
  type CodeGraph,
  type CodeGraphStore,
  type Explanation,
  type FileStatCache,
  type IndexRepositoryResult,
} from '@plumb/engines';
import { PlumbError, type RepositoryUpload } from '@plumb/protocol';

export interface CodeGraphService {
  /** Writes the uploaded files into the caller's copy of the repository and re-indexes what changed. */
  upload(owner: string | null, name: string, upload: RepositoryUpload): Promise<IndexRepositoryResult>;
  /** Counts for a repository; `repository_not_found` when it was never uploaded. */
  describe(owner: string | null, name: string): Promise<RepositorySummary>;
  /** Deletes the copy and its index; `false` when there was none. */
  remove(owner: string | null, name: string): Promise<boolean>;
  /** The built graph at the current revision (cached). */
  graph(owner: string | null, name: string): Promise<{ graph: CodeGraph; root: string }>;
  explain(owner: string | null, name: string, target: string, limit?: number): Promise<Explanation>;
  analyze(
    owner: string | null,
    name: string,
    options: { level?: 'file' | 'folder' | 'package'; layers?: unknown },
  ): Promise<ArchitectureReport>;
  decompose(
    owner: string | null,
    name: string,
    options: {
      services?: number | { min: number; max: number };
      method?: 'louvain' | 'hierarchical';
      resolution?: number;
      seed?: number;
      traces?: unknown;
      businessContexts?: Record<string, string>;
    },
  ): Promise<DecompositionResult>;
}

export interface RepositorySummary {
  name: string;
  revision: number;
  files: number;
  definitions: number;
  edges: number;
  languages: Record<string, number>;
}

/**
 * The code graph for the HTTP API. Each caller's repositories live under
 * `<dataDirectory>/repositories/<owner hash>/<name>/` (files as uploaded) and in the code graph store under the
 * key `<owner>/<name>`, so callers never see each other's code. Uploads to one repository run one at a time;
 * reads use the last complete revision meanwhile.
 *
 * @example const service = createCodeGraphService({ store, dataDirectory: '/var/lib/plumb' });
 */
export function createCodeGraphService(options: {
  store: CodeGraphStore;
  dataDirectory: string;
}): CodeGraphService {
  const cache = createCodeGraphCache({ store: options.store });
  const queues = new Map<string, Promise<unknown>>();
  // Sizes and times of files hashed before, so a re-upload of a few files does not re-read the rest.
  const statCaches = new Map<string, FileStatCache>();

  const locate = (owner: string | null, name: string) => {
    const ownerDirectory = createHash('sha256')
      .update(owner ?? 'anonymous')
      .digest('hex')
      .slice(0, 24);
    return {
      key: `${owner ?? '-'}/${name}`,
      root: path.join(options.dataDirectory, 'repositories', ownerDirectory, name),
    };
  };
  const serialized = <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => {});
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };
  const requireIndexed = async (key: string, name: string) => {
    if ((await options.store.revision(key)) === 0)
      throw new PlumbError(
        'repository_not_found',
        `No repository "${name}" has been uploaded by you. Upload it first: PUT /v3/code-graph/repositories/${name} with {"files":[{"path":"src/app.ts","content":"..."}]} (or \`plumb explain --repo .\` locally).`,
        { param: 'repository' },
      );
  };

  const service: CodeGraphService = {
    upload(owner, name, upload) {
      const { key, root } = locate(owner, name);
      return serialized(key, async () => {
        await mkdir(root, { recursive: true });
        if (upload.replace) {
          const keep = new Set(upload.files.map((file) => file.path));
          for (const existing of await listFiles(root))
            if (!keep.has(existing)) await rm(path.join(root, existing), { force: true });
        }
        for (const removed of upload.remove ?? [])
          await rm(path.join(root, removed), { force: true, recursive: true });
        for (const [index, file] of upload.files.entries()) {
          const target = path.join(root, file.path);
          try {
            await mkdir(path.dirname(target), { recursive: true });
            await writeFile(target, file.content);
          } catch (error) {
            throw new PlumbError(
              'invalid_request',
              `files.${index}.path "${file.path}" cannot be written: ${(error as NodeJS.ErrnoException).code ?? 'error'} (a folder and a file cannot share a path).`,
              { param: `files.${index}.path`, cause: error },
            );
          }
        }
        let statCache = statCaches.get(key);
        if (!statCache) {
          statCache = new Map();
          statCaches.set(key, statCache);
        }
        return indexRepository({ root, store: options.store, repository: key, statCache });
      });
    },
    async describe(owner, name) {
      const { graph } = await service.graph(owner, name);
      const languages: Record<string, number> = {};
      for (const file of graph.files.values()) languages[file.language] = (languages[file.language] ?? 0) + 1;
      return {
        name,
        revision: graph.revision,
        files: graph.files.size,
        definitions: graph.definitions.size,
        edges: graph.edges.length,
        languages,
      };
    },
    async remove(owner, name) {
      const { key, root } = locate(owner, name);
      return serialized(key, async () => {
        cache.forget(key);
        statCaches.delete(key);
        await rm(root, { recursive: true, force: true });
        return options.store.deleteRepository(key);
      });
    },
    async graph(owner, name) {
      const { key, root } = locate(owner, name);
      await requireIndexed(key, name);
      return { graph: await cache.get(key, root), root };
    },
    async explain(owner, name, target, limit) {
      const { graph } = await service.graph(owner, name);
      return explainName(graph, target, limit === undefined ? {} : { limit });
    },
    async analyze(owner, name, analysis) {
      const { graph, root } = await service.graph(owner, name);
      return analyzeArchitecture({
        graph,
        root,
        // Uploaded copies have no git history: churn would only warn.
        gitChurn: false,
        ...(analysis.level ? { level: analysis.level } : {}),
        ...(analysis.layers !== undefined ? { layers: parseLayerRules(analysis.layers) } : {}),
      });
    },
    async decompose(owner, name, request) {
      const { graph } = await service.graph(owner, name);
      let units = decompositionGraphFromCodeGraph(graph);
      if (request.traces !== undefined)
        units = mergeRuntimeTrace(units, parseRuntimeTrace(request.traces, 'traces'));
      return decompose({
        graph: units,
        services: request.services ?? { min: 3, max: 8 },
        method: request.method,
        resolution: request.resolution,
        seed: request.seed,
        businessContexts: request.businessContexts,
      });
    },
  };
  return service;
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}
