import { join } from 'node:path';
import { PlumbError } from '@plumb/protocol';
import { createPostgresStorage } from './create-postgres-storage.ts';
import { createSqliteStorage } from './create-sqlite-storage.ts';
import type { Storage } from './storage.ts';

/**
 * Opens the configured storage and runs migrations: PostgreSQL for `postgres://` URLs, otherwise SQLite
 * (`sqlite:///path/to/file.db`, or `plumb.db` in the data directory).
 *
 * @example
 * const storage = await openStorage({ dataDirectory: '/home/me/.plumb' });
 */
export async function openStorage(options: {
  databaseUrl?: string | undefined;
  dataDirectory: string;
}): Promise<Storage> {
  const url = options.databaseUrl;
  if (!url) return createSqliteStorage({ filename: join(options.dataDirectory, 'plumb.db') });
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return createPostgresStorage({ connectionString: url });
  if (url.startsWith('sqlite://')) return createSqliteStorage({ filename: url.slice('sqlite://'.length) });
  throw new PlumbError(
    'invalid_request',
    'PLUMB_DATABASE_URL must start with postgres://, postgresql:// or sqlite:// (or be unset for SQLite in the data directory).',
    { param: 'databaseUrl' },
  );
}
