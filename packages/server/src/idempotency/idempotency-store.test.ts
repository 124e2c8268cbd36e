import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../storage/create-postgres-storage.ts';
import { createSqliteStorage } from '../storage/create-sqlite-storage.ts';
import type { Storage } from '../storage/index.ts';
import { canonicalJson, hashRequestBody } from './hash-request-body.ts';
import { createIdempotencyStore } from './idempotency-store.ts';

// Test configuration is read here, in the test, not by the server: it only says where the test database is.
const postgresUrl = process.env.PLUMB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

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
if (!postgresAvailable && process.env.CI) throw new Error(`PostgreSQL at ${postgresUrl} is not reachable.`);

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function openSqlite(): Promise<Storage> {
  const directory = await mkdtemp(join(tmpdir(), 'plumb-idempotency-'));
  const storage = await createSqliteStorage({ filename: join(directory, 'plumb.db') });
  cleanups.push(async () => {
    await storage.close();
    await rm(directory, { recursive: true, force: true });
  });
  return storage;
}

async function openPostgres(): Promise<Storage> {
  const schema = `plumb_test_${randomBytes(6).toString('hex')}`;
  const storage = await createPostgresStorage({ connectionString: postgresUrl, schema });
  cleanups.push(async () => {
    await storage.close();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });
  return storage;
}

const dialects = [
  { name: 'sqlite', open: openSqlite, skip: false },
  { name: 'postgres', open: openPostgres, skip: !postgresAvailable },
] as const;

const identity = { subject: 'anonymous', route: 'POST /v3/chat/completions', key: 'key-1' };
const response = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };

describe.each(dialects)('idempotency store on $name', ({ open, skip }) => {
  it.skipIf(skip)('claims once, reports in flight and mismatches, then replays', async () => {
    const store = createIdempotencyStore(await open());
    const claim = { ...identity, requestHash: 'hash-a', ttlSeconds: 60 };
    expect(await store.claim(claim)).toEqual({ kind: 'claimed' });
    expect(await store.claim(claim)).toEqual({ kind: 'in_flight' });
    expect(await store.claim({ ...claim, requestHash: 'hash-b' })).toEqual({ kind: 'mismatch' });
    await store.complete(identity, response);
    expect(await store.claim(claim)).toEqual({ kind: 'completed', response });
    // Other subjects and routes have their own keys.
    expect(await store.claim({ ...claim, subject: 'key:other' })).toEqual({ kind: 'claimed' });
    expect(await store.claim({ ...claim, route: 'POST /v3/sessions' })).toEqual({ kind: 'claimed' });
  });

  it.skipIf(skip)('lets exactly one of many concurrent claims win', async () => {
    const store = createIdempotencyStore(await open());
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => store.claim({ ...identity, requestHash: 'hash', ttlSeconds: 60 })),
    );
    expect(claims.filter((result) => result.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((result) => result.kind === 'in_flight')).toHaveLength(7);
  });

  it.skipIf(skip)('releases in-flight keys only, and treats expired keys as new', async () => {
    let now = 1_000_000;
    const store = createIdempotencyStore(await open(), { now: () => now });
    const claim = { ...identity, requestHash: 'hash', ttlSeconds: 10 };
    expect(await store.claim(claim)).toEqual({ kind: 'claimed' });
    await store.release(identity);
    expect(await store.claim(claim)).toEqual({ kind: 'claimed' });
    await store.complete(identity, response);
    await store.release(identity);
    expect((await store.claim(claim)).kind).toBe('completed');

    now += 10_000;
    expect(await store.claim({ ...claim, requestHash: 'other' })).toEqual({ kind: 'claimed' });
    await store.claim({ ...claim, key: 'key-2' });
    now += 10_000;
    expect(await store.purgeExpired()).toBe(2);
  });
});

describe('hashRequestBody', () => {
  it('ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }], e: undefined })).toBe(
      '{"a":[{"c":null,"d":"x"}],"b":1}',
    );
    expect(hashRequestBody({ b: 1, a: 2 })).toBe(hashRequestBody({ a: 2, b: 1 }));
    expect(hashRequestBody({ a: 1 })).not.toBe(hashRequestBody({ a: '1' }));
    expect(hashRequestBody(undefined)).toBe(hashRequestBody(null));
  });
});
