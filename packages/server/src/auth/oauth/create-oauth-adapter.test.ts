import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { createPostgresStorage } from '../../storage/create-postgres-storage.ts';
import { createSqliteStorage } from '../../storage/create-sqlite-storage.ts';
import { runOAuthAdapterContract } from './oauth-adapter.contract.ts';

// Test configuration is read here, in the test, not by the server: it only says where the test database is.
const postgresUrl = process.env.PLUMB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const isCi = Boolean(process.env.CI);

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresAvailable = await postgresReachable();
if (!postgresAvailable && isCi)
  throw new Error(`PostgreSQL at ${postgresUrl} is not reachable; CI must cover it.`);

const directories: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  if (!postgresAvailable || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
});

runOAuthAdapterContract({
  name: 'sqlite',
  create: async () => {
    const directory = await mkdtemp(join(tmpdir(), 'plumb-oauth-adapter-'));
    directories.push(directory);
    return createSqliteStorage({ filename: join(directory, 'plumb.db') });
  },
});

runOAuthAdapterContract({
  name: 'postgres',
  skip: postgresAvailable ? false : 'PostgreSQL not reachable',
  create: () => {
    const schema = `plumb_oauth_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return createPostgresStorage({ connectionString: postgresUrl, schema });
  },
});
