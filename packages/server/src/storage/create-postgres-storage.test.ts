import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PlumbError } from '@plumb/protocol';
import { createPostgresStorage } from './create-postgres-storage.ts';
import { openStorage } from './open-storage.ts';
import { runStorageContract } from './storage.contract.ts';

const postgresUrl = process.env.PLUMB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const isCi = Boolean(process.env.CI);
/** One fresh schema per test run, dropped afterwards, so runs never see each other's rows. */
const schema = `plumb_test_${randomBytes(6).toString('hex')}`;
const unusedDataDirectory = join(tmpdir(), 'plumb-postgres-test-unused');

/** Why PostgreSQL cannot be used, or `undefined` when it answers. */
async function findUnreachableReason(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const unreachableReason = await findUnreachableReason(postgresUrl);
const where = postgresUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
const unreachableMessage =
  unreachableReason === undefined
    ? undefined
    : `PostgreSQL at ${where} is not reachable (${unreachableReason}). Start it (for example ` +
      '`docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16`) or point ' +
      'PLUMB_TEST_POSTGRES_URL at a server you may create schemas on.';
if (unreachableMessage !== undefined && !isCi) {
  console.warn(`Skipping the PostgreSQL storage tests: ${unreachableMessage}`);
}

afterAll(async () => {
  if (unreachableReason !== undefined) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
});

describe('PostgreSQL for the storage tests', () => {
  // CI must cover both dialects: there an unreachable server is a failure, not a skip.
  it.runIf(isCi && unreachableMessage !== undefined)('is reachable when CI is set', () => {
    throw new Error(unreachableMessage);
  });
});

runStorageContract({
  name: 'postgres',
  create: () => openStorage({ databaseUrl: postgresUrl, dataDirectory: unusedDataDirectory, schema }),
  skip: unreachableMessage ?? false,
});

describe.skipIf(unreachableReason !== undefined)('createPostgresStorage', () => {
  it('keeps its tables in the configured schema and returns bigint columns as numbers', async () => {
    const storage = await createPostgresStorage({ connectionString: postgresUrl, schema });
    try {
      expect(storage.dialect).toBe('postgres');
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(
        storage.db,
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['kysely_migration', 'session_messages', 'sessions']),
      );
      const count = await sql<{ count: unknown }>`select count(*) as count from sessions`.execute(storage.db);
      expect(typeof count.rows[0]?.count).toBe('number');
      // The int8 parser is this pool's own; the process-wide pg.types still return strings.
      const globalInt8Parser = pg.types.getTypeParser(pg.types.builtins.INT8) as (value: string) => unknown;
      expect(globalInt8Parser('5')).toBe('5');
    } finally {
      await storage.close();
    }
  });
});

describe('createPostgresStorage errors', () => {
  it('reports an unreachable server as service_unavailable naming the host, never the password', async () => {
    const error: unknown = await openStorage({
      databaseUrl: 'postgres://plumb:s3cret-Passw0rd@127.0.0.1:1/plumb',
      dataDirectory: unusedDataDirectory,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlumbError);
    expect((error as PlumbError).code).toBe('service_unavailable');
    expect((error as PlumbError).message).toContain('127.0.0.1:1');
    expect((error as PlumbError).message).toContain('PLUMB_DATABASE_URL');
    expect((error as PlumbError).message).not.toContain('s3cret-Passw0rd');
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    const error: unknown = await createPostgresStorage({
      connectionString: postgresUrl,
      schema: 'public"; drop table x; --',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlumbError);
    expect((error as PlumbError).code).toBe('invalid_request');
  });
});
