import { isAbsolute, join, resolve } from 'node:path';
import { PlumbError } from '@plumb/protocol';
import { createPostgresStorage } from './create-postgres-storage.ts';
import { createSqliteStorage } from './create-sqlite-storage.ts';
import type { Storage } from './storage.ts';

export interface OpenStorageOptions {
  /**
   * `postgres://` or `postgresql://` selects PostgreSQL; `sqlite:///absolute/path.db` or a plain file path
   * selects that SQLite file; unset means `<dataDirectory>/plumb.db`.
   */
  databaseUrl?: string | undefined;
  /** Where the default SQLite file lives; created (mode 0700) if missing. */
  dataDirectory: string;
  /** PostgreSQL only: the schema for Plumb's tables (tests use one fresh schema per run). */
  schema?: string | undefined;
}

/**
 * Opens the configured storage and runs migrations before returning it: SQLite by default, PostgreSQL when
 * `databaseUrl` is a `postgres://` URL.
 *
 * @example
 * const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDirectory: config.dataDirectory });
 * const session = await storage.sessions.get('sess_1');
 * await storage.close();
 */
export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  const databaseUrl = options.databaseUrl?.trim() ?? '';
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    return createPostgresStorage({ connectionString: databaseUrl, schema: options.schema });
  }
  if (databaseUrl === '') {
    return createSqliteStorage({ filename: join(options.dataDirectory, 'plumb.db') });
  }
  if (/^sqlite:\/\//i.test(databaseUrl)) {
    const path = safeDecode(databaseUrl.slice('sqlite://'.length));
    if (path === '' || path === '/') throw unsupportedUrl('the sqlite:// URL names no file');
    return createSqliteStorage({ filename: isAbsolute(path) ? path : resolve(path) });
  }
  // Any other scheme (mysql://, file://, ...) is a mistake, not a file name.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl)) throw unsupportedUrl('its scheme is not supported');
  return createSqliteStorage({ filename: resolve(databaseUrl) });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function unsupportedUrl(reason: string): PlumbError {
  // The URL itself is left out: it may carry a password.
  return new PlumbError(
    'invalid_request',
    `PLUMB_DATABASE_URL cannot be used: ${reason}. Use postgres://user:password@host:5432/database, sqlite:///absolute/path/plumb.db, or leave it unset for a SQLite file in the data directory.`,
    { param: 'databaseUrl' },
  );
}
