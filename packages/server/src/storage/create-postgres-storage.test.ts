import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from './create-postgres-storage.ts';
import { runStorageContract } from './storage.contract.ts';

// Test configuration is read here, in the test, not by the server: it only says where the test database is.
const url = process.env.PLUMB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const isCi = Boolean(process.env.CI);

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const available = await reachable();
if (!available) {
  const message = `PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} is not reachable. Start it (pg_ctlcluster <version> main start) or set PLUMB_TEST_POSTGRES_URL.`;
  if (isCi) throw new Error(`${message} CI must cover PostgreSQL.`);
  console.warn(`Skipping PostgreSQL storage tests: ${message}`);
}

const schemas: string[] = [];
afterAll(async () => {
  if (!available || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
});

function freshSchema() {
  const schema = `plumb_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

runStorageContract({
  name: 'postgres',
  skip: available ? false : 'PostgreSQL not reachable',
  create: () => createPostgresStorage({ connectionString: url, schema: freshSchema() }),
});

describe.skipIf(!available)('PostgreSQL storage', () => {
  it('runs migrations idempotently on the same schema', async () => {
    const schema = freshSchema();
    const first = await createPostgresStorage({ connectionString: url, schema });
    await first.sessions.create({ id: 'sess_pg', owner: null, mode: null, metadata: {}, messages: [] });
    await first.close();
    const second = await createPostgresStorage({ connectionString: url, schema });
    expect((await second.sessions.get('sess_pg'))?.createdAt).toEqual(expect.any(Number));
    await second.close();
  });

  it('says which host failed, without the password', async () => {
    await expect(
      createPostgresStorage({ connectionString: 'postgres://user:secret@127.0.0.1:1/none' }),
    ).rejects.toSatisfy(
      (error: Error) => error.message.includes('127.0.0.1:1/none') && !error.message.includes('secret'),
    );
  });
});
