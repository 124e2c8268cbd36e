import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { PlumbError } from '@plumb/protocol';
import { openStorage } from './open-storage.ts';
import { runStorageContract } from './storage.contract.ts';

const root = await mkdtemp(join(tmpdir(), 'plumb-storage-'));
const contractDirectory = join(root, 'contract');

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

runStorageContract({ name: 'sqlite', create: () => openStorage({ dataDirectory: contractDirectory }) });

async function rejection(promise: Promise<unknown>): Promise<PlumbError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PlumbError);
  return error as PlumbError;
}

describe('createSqliteStorage', () => {
  it('keeps sessions across a restart (close and reopen)', async () => {
    const dataDirectory = join(root, 'restart');
    const first = await openStorage({ dataDirectory });
    await first.sessions.create({
      id: 'sess_restart',
      owner: 'client_1',
      mode: 'code',
      metadata: { ticket: 'PLB-1' },
      messages: [{ role: 'system', content: 'Pin Python 3.12.' }],
    });
    await first.sessions.appendMessages('sess_restart', [{ role: 'user', content: 'Hi' }]);
    await first.close();

    const second = await openStorage({ dataDirectory });
    try {
      expect(await second.sessions.get('sess_restart')).toMatchObject({
        owner: 'client_1',
        mode: 'code',
        metadata: { ticket: 'PLB-1' },
        messages: [
          { role: 'system', content: 'Pin Python 3.12.' },
          { role: 'user', content: 'Hi' },
        ],
      });
    } finally {
      await second.close();
    }
  });

  it('creates <dataDirectory>/plumb.db in a 0700 directory, with WAL, busy_timeout, foreign keys, synchronous NORMAL', async () => {
    const dataDirectory = join(root, 'nested', 'data');
    const storage = await openStorage({ dataDirectory });
    try {
      expect(storage.dialect).toBe('sqlite');
      expect((await stat(dataDirectory)).mode & 0o777).toBe(0o700);
      expect((await stat(join(dataDirectory, 'plumb.db'))).isFile()).toBe(true);
      const pragma = async (name: string) =>
        Object.values(
          (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(storage.db)).rows[0] ?? {},
        )[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(1);
    } finally {
      await storage.close();
    }
  });

  it('uses the file named by sqlite:///absolute/path or a plain path in databaseUrl', async () => {
    const viaUrl = join(root, 'by-url', 'custom.db');
    const viaPath = join(root, 'by-path', 'custom.db');
    for (const [databaseUrl, filename] of [
      [`sqlite://${viaUrl}`, viaUrl],
      [viaPath, viaPath],
    ] as const) {
      const storage = await openStorage({ databaseUrl, dataDirectory: join(root, 'unused') });
      await storage.sessions.create({ id: 'sess_file', owner: null, mode: null, metadata: {}, messages: [] });
      await storage.close();
      expect((await stat(filename)).isFile()).toBe(true);
    }
    await expect(stat(join(root, 'unused'))).rejects.toThrow();
  });

  it('rejects an unsupported databaseUrl scheme without echoing the URL', async () => {
    const error = await rejection(
      openStorage({ databaseUrl: 'mysql://root:hunter2@db/plumb', dataDirectory: join(root, 'mysql') }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('PLUMB_DATABASE_URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('reports a file that is not a database as service_unavailable, naming the file', async () => {
    const dataDirectory = join(root, 'garbage');
    await openStorage({ dataDirectory }).then((storage) => storage.close());
    await rm(join(dataDirectory, 'plumb.db'));
    await writeFile(join(dataDirectory, 'plumb.db'), 'not a database, just text '.repeat(200));
    const error = await rejection(openStorage({ dataDirectory }));
    expect(error.code).toBe('service_unavailable');
    expect(error.message).toContain(join(dataDirectory, 'plumb.db'));
  });

  it('turns a failed migration into internal_error naming the migration', async () => {
    const dataDirectory = join(root, 'conflicting');
    await mkdir(dataDirectory, { recursive: true });
    // A foreign `sessions` table that the first migration cannot create over.
    const database = new SqliteDatabase(join(dataDirectory, 'plumb.db'));
    database.exec('create table sessions (something text)');
    database.close();
    const error = await rejection(openStorage({ dataDirectory }));
    expect(error.code).toBe('internal_error');
    expect(error.message).toContain('0001-sessions');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
