import type { Kysely, Migration } from 'kysely';

/**
 * Idempotency keys (`Idempotency-Key` header): one row per (billing subject, route, key) holding the request
 * hash and, once the first attempt finished, its response. Kysely's schema builder only, so the same
 * migration runs on SQLite and PostgreSQL.
 */
export const idempotencyMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('subject', 'text', (column) => column.notNull())
      .addColumn('route', 'text', (column) => column.notNull())
      .addColumn('key', 'text', (column) => column.notNull())
      .addColumn('request_hash', 'text', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('response_headers', 'text')
      .addColumn('response_body', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('expires_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_primary_key', ['subject', 'route', 'key'])
      .execute();
    // The periodic purge deletes by expiry.
    await db.schema
      .createIndex('idempotency_keys_expires_at_index')
      .on('idempotency_keys')
      .column('expires_at')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('idempotency_keys').execute();
  },
};
