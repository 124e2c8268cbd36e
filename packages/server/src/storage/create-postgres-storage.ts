import { Kysely, PostgresDialect, sql, CompiledQuery } from 'kysely';
import { Pool, types } from 'pg';
import { PlumbError } from '@plumb/protocol';
import { createSessionRepository } from './create-session-repository.ts';
import type { Database } from './database.ts';
import { runMigrations } from './run-migrations.ts';
import type { Storage } from './storage.ts';

export interface CreatePostgresStorageOptions {
  /** `postgres://user:password@host:5432/database`. */
  connectionString: string;
  /** Schema for Plumb's tables (created if missing); default: the server's search_path (usually `public`). */
  schema?: string | undefined;
  /** Largest number of pooled connections; default 5. */
  maxConnections?: number | undefined;
}

/**
 * `int8` (`bigint`) as a JS number, for this pool only (the global `pg.types` stays untouched). Plumb's
 * `bigint` columns hold millisecond timestamps and counts, far below 2^53.
 */
const int8TypeId = 20;
const int8AsNumber = {
  getTypeParser(id: number, format?: 'text' | 'binary'): unknown {
    return id === int8TypeId && format !== 'binary' ? Number : types.getTypeParser(id, format);
  },
};

const schemaNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Storage in PostgreSQL through a small connection pool, migrated before it is returned. Connection failures
 * become `PlumbError('service_unavailable')` naming the host (never the password).
 *
 * @example
 * const storage = await createPostgresStorage({ connectionString: 'postgres://plumb@db:5432/plumb' });
 * await storage.ping();
 * await storage.close();
 */
export async function createPostgresStorage(options: CreatePostgresStorageOptions): Promise<Storage> {
  const { connectionString, schema } = options;
  if (schema !== undefined && !schemaNamePattern.test(schema)) {
    throw new PlumbError(
      'invalid_request',
      `"${schema}" is not a usable PostgreSQL schema name. Use letters, digits and underscores (at most 63), not starting with a digit.`,
      { param: 'schema' },
    );
  }
  const location = describeConnectionString(connectionString);
  const pool = new Pool({
    connectionString,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: int8AsNumber,
  });
  // An idle connection that drops (server restart, network) is reported here; without a listener Node would
  // crash the process. The pool replaces it, and the next query reports any lasting problem.
  pool.on('error', () => {});

  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      // Set per connection rather than in the URL, so a `?options=` in PLUMB_DATABASE_URL cannot override it.
      ...(schema === undefined
        ? {}
        : {
            onCreateConnection: async (connection) => {
              await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
            },
          }),
    }),
  });

  async function ping(): Promise<void> {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      throw connectionFailed(location, connectionString, error);
    }
  }

  try {
    await ping();
    if (schema !== undefined) await db.schema.createSchema(schema).ifNotExists().execute();
    await runMigrations(db, { schema: schema ?? 'public' });
  } catch (error) {
    await db.destroy();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    db,
    sessions: createSessionRepository(db),
    ping,
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}

/** `user@host:port/database`, without the password, for error messages. */
function describeConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    const host = decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost';
    return `${user}${host}:${url.port || '5432'}${decodeURIComponent(url.pathname)}`;
  } catch {
    return 'the host in PLUMB_DATABASE_URL';
  }
}

function connectionFailed(location: string, connectionString: string, cause: unknown): PlumbError {
  const detail = redactPassword(cause instanceof Error ? cause.message : String(cause), connectionString);
  return new PlumbError(
    'service_unavailable',
    `Could not reach PostgreSQL at ${location}: ${detail}. Check PLUMB_DATABASE_URL (host, port, database, user, password) and that the server is running and accepts connections from here.`,
    { cause },
  );
}

function redactPassword(text: string, connectionString: string): string {
  let password: string;
  try {
    password = new URL(connectionString).password;
  } catch {
    return text;
  }
  if (password === '') return text;
  return text.replaceAll(password, '***').replaceAll(decodeURIComponent(password), '***');
}
