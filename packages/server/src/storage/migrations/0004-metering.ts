import type { Kysely, Migration } from 'kysely';

/**
 * The usage ledger (one row per billable request, with every input of its price so an invoice can be
 * recomputed exactly) and per-subject limits.
 */
export const meteringMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('usage_events')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('billing_subject', 'text', (column) => column.notNull())
      .addColumn('principal_subject', 'text')
      .addColumn('client_id', 'text')
      .addColumn('api_key_id', 'text')
      .addColumn('request_id', 'text', (column) => column.notNull())
      .addColumn('operation', 'text', (column) => column.notNull())
      .addColumn('model', 'text')
      .addColumn('streamed', 'integer', (column) => column.notNull())
      .addColumn('prompt_tokens', 'bigint', (column) => column.notNull())
      .addColumn('completion_tokens', 'bigint', (column) => column.notNull())
      .addColumn('cached_tokens', 'bigint', (column) => column.notNull())
      .addColumn('token_source', 'text', (column) => column.notNull())
      .addColumn('compute_units', 'double precision', (column) => column.notNull())
      .addColumn('rate_card_version', 'text')
      .addColumn('compute_unit_inputs', 'text')
      .addColumn('price_input_per_million', 'double precision', (column) => column.notNull())
      .addColumn('price_output_per_million', 'double precision', (column) => column.notNull())
      .addColumn('price_cached_per_million', 'double precision', (column) => column.notNull())
      .addColumn('price_per_compute_unit', 'double precision', (column) => column.notNull())
      .addColumn('cost_nanos', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('usage_events_created_idx').on('usage_events').column('created_at').execute();
    await db.schema
      .createIndex('usage_events_subject_created_idx')
      .on('usage_events')
      .columns(['billing_subject', 'created_at'])
      .execute();
    await db.schema
      .createTable('usage_limits')
      .addColumn('billing_subject', 'text', (column) => column.primaryKey())
      .addColumn('requests_per_minute', 'bigint')
      .addColumn('tokens_per_minute', 'bigint')
      .addColumn('tokens_per_month', 'bigint')
      .addColumn('compute_units_per_day', 'double precision')
      .addColumn('spend_nanos_per_month', 'bigint')
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
  },
};
