import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { PlumbError } from '@plumb/protocol';
import { createSessionRepository } from './create-session-repository.ts';
import type { Database } from './database.ts';
import { runMigrations } from './run-migrations.ts';
import type { Storage } from './storage.ts';

/**
 * Storage in one SQLite file (created with its directory, mode 0700, if missing), migrated before it is
 * returned. WAL mode lets readers run beside the single writer; `busy_timeout` makes a second process wait
 * for the write lock instead of failing at once.
 *
 * @example
 * const storage = await createSqliteStorage({ filename: '/var/lib/plumb/plumb.db' });
 * await storage.sessions.get('sess_1');
 * await storage.close();
 */
export async function createSqliteStorage(options: { filename: string }): Promise<Storage> {
  const { filename } = options;
  let database: SqliteDatabase.Database;
  try {
    await mkdir(dirname(filename), { recursive: true, mode: 0o700 });
    database = new SqliteDatabase(filename);
  } catch (error) {
    throw openFailed(filename, error);
  }
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    // Safe with WAL: a power loss may drop the last commits but never corrupts the file.
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    database.close();
    throw openFailed(filename, error);
  }

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  try {
    await runMigrations(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    dialect: 'sqlite',
    db,
    sessions: createSessionRepository(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}

function openFailed(filename: string, cause: unknown): PlumbError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new PlumbError(
    'service_unavailable',
    `Could not open the SQLite database at ${filename}: ${detail}. Check that the data directory (--data-dir or PLUMB_DATA_DIR) is writable and the file is a Plumb database, or set PLUMB_DATABASE_URL.`,
    { cause, isRetryable: false },
  );
}
