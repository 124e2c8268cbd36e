import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStorage } from './create-sqlite-storage.ts';
import { openStorage } from './open-storage.ts';
import { runStorageContract } from './storage.contract.ts';

const directories: string[] = [];
async function temporaryDirectory() {
  const directory = await mkdtemp(join(tmpdir(), 'plumb-sqlite-'));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

runStorageContract({
  name: 'sqlite',
  create: async () => createSqliteStorage({ filename: join(await temporaryDirectory(), 'plumb.db') }),
});

describe('SQLite storage', () => {
  it('keeps data across close and reopen (a restart), and migrations are idempotent', async () => {
    const directory = await temporaryDirectory();
    const first = await openStorage({ dataDirectory: directory });
    await first.sessions.create({
      id: 'sess_restart',
      owner: null,
      mode: 'code',
      metadata: {},
      messages: [{ role: 'user', content: 'kept' }],
    });
    await first.close();
    const second = await openStorage({ dataDirectory: directory });
    expect((await second.sessions.get('sess_restart'))?.messages).toEqual([
      { role: 'user', content: 'kept' },
    ]);
    await second.close();
    expect((await stat(join(directory, 'plumb.db'))).isFile()).toBe(true);
  });

  it('creates a missing data directory, private to the user', async () => {
    const directory = join(await temporaryDirectory(), 'nested', 'data');
    const storage = await openStorage({ dataDirectory: directory });
    await storage.close();
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
  });

  it('rejects an unknown database URL scheme with a clear message', async () => {
    await expect(openStorage({ dataDirectory: '/tmp', databaseUrl: 'mysql://x' })).rejects.toThrow(
      /postgres:\/\//,
    );
  });
});
