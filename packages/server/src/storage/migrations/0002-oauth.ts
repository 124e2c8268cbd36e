import type { Kysely, Migration } from 'kysely';

/**
 * The OAuth 2.0 authorization server's state: oidc-provider's artefacts (`oauth_records`), registered clients,
 * users with password hashes, token signing keys and cookie signing keys. Kysely's schema builder only, so the
 * same migration runs on SQLite and PostgreSQL.
 */
export const oauthMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('oauth_records')
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('id', 'text', (column) => column.notNull())
      .addColumn('payload', 'text', (column) => column.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('user_code', 'text')
      .addColumn('uid', 'text')
      .addColumn('client_id', 'text')
      .addColumn('expires_at', 'bigint')
      .addColumn('consumed_at', 'bigint')
      .addPrimaryKeyConstraint('oauth_records_pk', ['model', 'id'])
      .execute();
    // Every secondary lookup oidc-provider makes (and client revocation) must be an index hit.
    for (const column of ['grant_id', 'user_code', 'uid', 'client_id', 'expires_at']) {
      await db.schema
        .createIndex(`oauth_records_${column}_index`)
        .on('oauth_records')
        .column(column)
        .execute();
    }

    await db.schema
      .createTable('oauth_clients')
      .addColumn('client_id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('metadata', 'text', (column) => column.notNull())
      .addColumn('secret_hash', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('username', 'text', (column) => column.notNull().unique())
      .addColumn('password_hash', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (column) => column.primaryKey())
      .addColumn('algorithm', 'text', (column) => column.notNull())
      .addColumn('private_jwk', 'text', (column) => column.notNull())
      .addColumn('public_jwk', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();

    await db.schema
      .createTable('cookie_keys')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('secret', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['cookie_keys', 'signing_keys', 'users', 'oauth_clients', 'oauth_records']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
