import type { FileFacts } from './file-facts.ts';

/**
 * Where the code graph keeps per-file facts between runs, so re-indexing parses only changed files.
 * Implementations: `createMemoryCodeGraphStore` (engines, tests and one-off runs) and the SQL store on
 * Plumb's Storage (server: SQLite by default, PostgreSQL). Every implementation passes
 * `runCodeGraphStoreContract` (`code-graph-store.contract.ts`).
 *
 * A repository is identified by a key chosen by the caller (the CLI and server use the absolute root path,
 * prefixed by the owner on the server). Readers never see a half-applied `applyChanges`.
 */
export interface CodeGraphStore {
  /** Path → content hash of every stored file of the repository (empty for an unknown repository). */
  fileHashes(repository: string): Promise<Map<string, string>>;
  /**
   * Stores new and changed files and removes deleted ones, all or nothing; bumps the repository's revision.
   * Returns the new revision.
   */
  applyChanges(repository: string, changes: { upsert: FileFacts[]; remove: string[] }): Promise<number>;
  /** Every stored file's facts, or only the given paths (unknown paths are left out). */
  loadFiles(repository: string, paths?: readonly string[]): Promise<FileFacts[]>;
  /** Increases with every `applyChanges`; 0 for an unknown repository. Lets callers cache a built graph. */
  revision(repository: string): Promise<number>;
  /** Forgets the repository; `false` if there was nothing stored. */
  deleteRepository(repository: string): Promise<boolean>;
}
