import type { Kysely, Migration } from 'kysely';

/**
 * Debug sessions: the spec a session was launched with (files included, so it can be relaunched after a
 * restart), its journal of state-changing operations in order (replayed to rebuild the session), and its
 * event log (served to `/events` subscribers, resumable with `Last-Event-ID`).
 */
export const debugSessionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('debug_sessions')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('owner', 'text')
      .addColumn('language', 'text', (column) => column.notNull())
      .addColumn('spec', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('last_stop', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('last_active_at', 'bigint', (column) => column.notNull())
      .addColumn('expires_at', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('debug_sessions_owner_index')
      .on('debug_sessions')
      .columns(['owner', 'created_at'])
      .execute();
    await db.schema
      .createTable('debug_session_journal')
      .addColumn('session_id', 'text', (column) => column.notNull())
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('operation', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('debug_session_journal_primary_key', ['session_id', 'position'])
      .execute();
    await db.schema
      .createTable('debug_session_events')
      .addColumn('session_id', 'text', (column) => column.notNull())
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('event', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('debug_session_events_primary_key', ['session_id', 'position'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('debug_session_events').execute();
    await db.schema.dropTable('debug_session_journal').execute();
    await db.schema.dropTable('debug_sessions').execute();
  },
};
