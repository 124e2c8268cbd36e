import { Migrator, type Kysely } from 'kysely';
import { PlumbError } from '@plumb/protocol';
import { migrations } from './migrations.ts';

/**
 * Brings the database schema up to date. Safe to run on every start and from several processes at once
 * (Kysely takes a lock and skips migrations that already ran).
 *
 * @example
 * await runMigrations(db);
 */
export async function runMigrations(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
  db: Kysely<any>,
  options: { schema?: string | undefined } = {},
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Kysely looks its own bookkeeping tables up across all schemas unless told which one is ours, so two
    // Plumb schemas in one database would otherwise see each other's migrations.
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const detail = error instanceof Error ? error.message : JSON.stringify(error);
    throw new PlumbError(
      'internal_error',
      `Database migration ${failed ? `"${failed}" ` : ''}failed: ${detail}. Check that the database user may create tables, then restart; nothing after the failed migration was applied.`,
      { cause: error },
    );
  }
}
