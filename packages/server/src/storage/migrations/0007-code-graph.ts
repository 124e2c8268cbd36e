import type { Kysely, Migration } from 'kysely';

/**
 * The code graph's per-file facts (`CodeGraphStore` in engines): one row per indexed repository with its
 * revision, one row per file with its facts as JSON text, and one row per definition so a name can be looked
 * up without loading every file's facts. No foreign keys: the repository deletes the rows of all three tables
 * itself, in one transaction, which keeps SQLite and PostgreSQL on the same code path.
 */
export const codeGraphMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('code_graph_repositories')
      .addColumn('key', 'text', (column) => column.primaryKey())
      .addColumn('revision', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('code_graph_files')
      .addColumn('repository', 'text', (column) => column.notNull())
      .addColumn('path', 'text', (column) => column.notNull())
      .addColumn('hash', 'text', (column) => column.notNull())
      .addColumn('language', 'text', (column) => column.notNull())
      .addColumn('facts', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('code_graph_files_primary_key', ['repository', 'path'])
      .execute();
    await db.schema
      .createTable('code_graph_symbols')
      .addColumn('repository', 'text', (column) => column.notNull())
      .addColumn('path', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('qualified_name', 'text', (column) => column.notNull())
      .addColumn('definition_id', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('line', 'integer', (column) => column.notNull())
      .execute();
    // Name lookups ("where is OrderService defined?") and replacing a file's symbols must not scan the table.
    await db.schema
      .createIndex('code_graph_symbols_name_index')
      .on('code_graph_symbols')
      .columns(['repository', 'name'])
      .execute();
    await db.schema
      .createIndex('code_graph_symbols_path_index')
      .on('code_graph_symbols')
      .columns(['repository', 'path'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('code_graph_symbols').execute();
    await db.schema.dropTable('code_graph_files').execute();
    await db.schema.dropTable('code_graph_repositories').execute();
  },
};
