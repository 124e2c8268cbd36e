import type { Kysely, Migration } from 'kysely';

/**
 * Sessions and their messages. Written with Kysely's schema builder only, so the same migration runs on SQLite
 * and PostgreSQL (`bigint` has integer affinity in SQLite).
 */
export const sessionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('owner', 'text')
      .addColumn('mode', 'text')
      .addColumn('metadata', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addColumn('expires_at', 'bigint')
      .execute();
    await db.schema
      .createTable('session_messages')
      .addColumn('session_id', 'text', (column) =>
        column.notNull().references('sessions.id').onDelete('cascade'),
      )
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('message', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('session_messages_pk', ['session_id', 'position'])
      .execute();
    // Listing a principal's sessions (and expiring old ones) must not scan the table.
    await db.schema.createIndex('sessions_owner_index').on('sessions').column('owner').execute();
    await db.schema.createIndex('sessions_expires_at_index').on('sessions').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('session_messages').execute();
    await db.schema.dropTable('sessions').execute();
  },
};
