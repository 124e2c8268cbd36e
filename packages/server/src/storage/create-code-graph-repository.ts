import type { Kysely, Transaction } from 'kysely';
import {
  validateCodeGraphChanges,
  type CodeGraphStore,
  type DefinitionKind,
  type FileFacts,
} from '@plumb/engines';
import type { Database } from './database.ts';

/** Files per INSERT: 5 bound parameters each, far below SQLite's 32,766 and PostgreSQL's 65,535. */
const fileBatchSize = 500;
/** Symbols per INSERT: 7 bound parameters each. */
const symbolBatchSize = 1_000;
/** Paths per `in (...)` list. */
const pathBatchSize = 1_000;

/** One definition found by name, without loading its file's facts. */
export interface StoredDefinition {
  /** `DefinitionFact.id` (`path#qualifiedName`). */
  id: string;
  path: string;
  name: string;
  qualifiedName: string;
  kind: DefinitionKind;
  line: number;
}

export interface CodeGraphRepository extends CodeGraphStore {
  /** Definitions named `name` (exact, case-sensitive) in the repository, by path then line. One indexed query. */
  findDefinitions(repository: string, name: string): Promise<StoredDefinition[]>;
}

/**
 * The code graph store on a Kysely database, the same code for SQLite and PostgreSQL. Each file's facts are
 * kept as the exact JSON the extractor produced; definitions are also written one row each so a name lookup
 * reads an index instead of every file. A change set is one transaction that first bumps the repository's
 * revision (taking its lock), so concurrent writers queue and readers see either all of it or none.
 *
 * @example
 * const store = createCodeGraphRepository(storage.db);
 * const revision = await store.applyChanges('client_1:/srv/shop', { upsert: facts, remove: ['old.ts'] });
 * const files = await store.loadFiles('client_1:/srv/shop');
 */
export function createCodeGraphRepository(db: Kysely<Database>): CodeGraphRepository {
  return {
    async fileHashes(repository) {
      const rows = await db
        .selectFrom('code_graph_files')
        .select(['path', 'hash'])
        .where('repository', '=', repository)
        .execute();
      return new Map(rows.map((row) => [row.path, row.hash]));
    },

    async applyChanges(repository, changes) {
      // Refused before the transaction starts, by the same rules as the memory store, so both stores accept
      // and refuse exactly the same batches.
      validateCodeGraphChanges(changes);
      const upserts = new Map(changes.upsert.map((facts) => [facts.path, facts]));
      const removed = [...new Set(changes.remove)];
      const fileRows = [...upserts.values()].map((facts) => ({
        repository,
        path: facts.path,
        hash: facts.hash,
        language: facts.language,
        facts: JSON.stringify(facts),
      }));
      const symbolRows = [...upserts.values()].flatMap((facts) =>
        facts.definitions.map((definition) => ({
          repository,
          path: facts.path,
          name: definition.name,
          qualified_name: definition.qualifiedName,
          definition_id: definition.id,
          kind: definition.kind,
          line: definition.range.line,
        })),
      );
      const now = Date.now();

      return db.transaction().execute(async (transaction) => {
        // Written first: in PostgreSQL this row lock queues concurrent change sets of the repository; in SQLite
        // it takes the write lock up front, so the transaction never has to upgrade a read lock.
        const bumped = await transaction
          .insertInto('code_graph_repositories')
          .values({ key: repository, revision: 1, updated_at: now })
          .onConflict((conflict) =>
            conflict.column('key').doUpdateSet((expression) => ({
              revision: expression('code_graph_repositories.revision', '+', 1),
              updated_at: now,
            })),
          )
          .returning('revision')
          .executeTakeFirstOrThrow();

        await deleteByPaths(transaction, 'code_graph_symbols', repository, [...upserts.keys(), ...removed]);
        await deleteByPaths(transaction, 'code_graph_files', repository, removed);
        for (let start = 0; start < fileRows.length; start += fileBatchSize) {
          await transaction
            .insertInto('code_graph_files')
            .values(fileRows.slice(start, start + fileBatchSize))
            .onConflict((conflict) =>
              conflict.columns(['repository', 'path']).doUpdateSet((expression) => ({
                hash: expression.ref('excluded.hash'),
                language: expression.ref('excluded.language'),
                facts: expression.ref('excluded.facts'),
              })),
            )
            .execute();
        }
        for (let start = 0; start < symbolRows.length; start += symbolBatchSize) {
          await transaction
            .insertInto('code_graph_symbols')
            .values(symbolRows.slice(start, start + symbolBatchSize))
            .execute();
        }
        return Number(bumped.revision);
      });
    },

    async loadFiles(repository, paths) {
      if (paths === undefined) {
        const rows = await db
          .selectFrom('code_graph_files')
          .select('facts')
          .where('repository', '=', repository)
          .execute();
        return byPath(rows.map((row) => JSON.parse(row.facts) as FileFacts));
      }
      const wanted = [...new Set(paths)];
      if (wanted.length === 0) return [];
      const read = async (reader: Kysely<Database>): Promise<FileFacts[]> => {
        const files: FileFacts[] = [];
        for (let start = 0; start < wanted.length; start += pathBatchSize) {
          const rows = await reader
            .selectFrom('code_graph_files')
            .select('facts')
            .where('repository', '=', repository)
            .where('path', 'in', wanted.slice(start, start + pathBatchSize))
            .execute();
          for (const row of rows) files.push(JSON.parse(row.facts) as FileFacts);
        }
        return byPath(files);
      };
      if (wanted.length <= pathBatchSize) return read(db);
      // Several statements must read one snapshot, or a change set committed between them would be half seen
      // (PostgreSQL's default read committed takes a new snapshot per statement; SQLite ignores the setting and
      // reads one snapshot per transaction anyway).
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((transaction) => read(transaction));
    },

    async revision(repository) {
      const row = await db
        .selectFrom('code_graph_repositories')
        .select('revision')
        .where('key', '=', repository)
        .executeTakeFirst();
      return row === undefined ? 0 : Number(row.revision);
    },

    async deleteRepository(repository) {
      return db.transaction().execute(async (transaction) => {
        const deleted = await transaction
          .deleteFrom('code_graph_repositories')
          .where('key', '=', repository)
          .executeTakeFirst();
        await transaction.deleteFrom('code_graph_symbols').where('repository', '=', repository).execute();
        await transaction.deleteFrom('code_graph_files').where('repository', '=', repository).execute();
        return deleted.numDeletedRows > 0n;
      });
    },

    async findDefinitions(repository, name) {
      const rows = await db
        .selectFrom('code_graph_symbols')
        .select(['definition_id', 'path', 'name', 'qualified_name', 'kind', 'line'])
        .where('repository', '=', repository)
        .where('name', '=', name)
        .execute();
      const definitions = rows.map((row) => ({
        id: row.definition_id,
        path: row.path,
        name: row.name,
        qualifiedName: row.qualified_name,
        kind: row.kind as DefinitionKind,
        line: Number(row.line),
      }));
      return definitions.sort((left, right) => comparePaths(left, right) || left.line - right.line);
    },
  };
}

/**
 * Sorted by path in UTF-16 code-unit order, in JavaScript rather than SQL: PostgreSQL would sort by the
 * database's collation, so the two dialects could disagree.
 */
function byPath<TItem extends { path: string }>(items: TItem[]): TItem[] {
  return items.sort(comparePaths);
}

function comparePaths(left: { path: string }, right: { path: string }): number {
  return left.path < right.path ? -1 : left.path > right.path ? 1 : 0;
}

async function deleteByPaths(
  transaction: Transaction<Database>,
  table: 'code_graph_files' | 'code_graph_symbols',
  repository: string,
  paths: string[],
): Promise<void> {
  for (let start = 0; start < paths.length; start += pathBatchSize) {
    await transaction
      .deleteFrom(table)
      .where('repository', '=', repository)
      .where('path', 'in', paths.slice(start, start + pathBatchSize))
      .execute();
  }
}
