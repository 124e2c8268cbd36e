import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PlumbError } from '@plumb/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDebugSessionRepository, createSqliteStorage, type Storage } from '../../storage/index.ts';
import { createDebugSessionService, type DebugSessionService } from './create-debug-session-service.ts';

const program = { files: [{ path: 'main.py', content: 'x = 1\ny = 2\nprint(x + y)\n' }], program: 'main.py' };

describe('debug session service', () => {
  let directory: string;
  let storage: Storage;
  let service: DebugSessionService | undefined;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'plumb-debug-service-'));
    storage = await createSqliteStorage({ filename: path.join(directory, 'plumb.db') });
  });
  afterEach(async () => {
    await service?.close();
    await storage.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('ends a session nobody used for the idle timeout, kills its process and says why', async () => {
    const repository = createDebugSessionRepository(storage.db);
    service = createDebugSessionService({ repository, limits: { idleTimeoutMilliseconds: 300 } });
    const session = await service.create({ ...program, stop_on_entry: true }, 'owner-a');
    expect(session.stop?.status).toBe('stopped');
    expect(service.liveCount()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(service.liveCount()).toBe(0);
    const error: unknown = await service
      .command(session.id, 'owner-a', { command: 'step_over' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlumbError);
    expect(error).toMatchObject({ code: 'debug_session_terminated' });
    expect((error as Error).message).toMatch(/expired/);
    expect((await service.get(session.id, 'owner-a')).status).toBe('expired');
    const events = await repository.events(session.id, 0, 100);
    expect(events.map((entry) => (entry.event as { event: string }).event)).toContain('plumb.expired');
  });

  it('refuses more live sessions than the server-wide limit, and frees a slot on delete', async () => {
    service = createDebugSessionService({
      repository: createDebugSessionRepository(storage.db),
      limits: { maximumTotal: 2 },
    });
    const first = await service.create({ ...program, stop_on_entry: true }, 'a');
    await service.create({ ...program, stop_on_entry: true }, 'b');
    await expect(service.create({ ...program, stop_on_entry: true }, 'c')).rejects.toMatchObject({
      code: 'debug_session_limit_reached',
    });
    await service.delete(first.id, 'a');
    await expect(service.create({ ...program, stop_on_entry: true }, 'c')).resolves.toMatchObject({
      status: 'stopped',
    });
  });

  it('answers not found, never a hint, for another owner’s session', async () => {
    service = createDebugSessionService({ repository: createDebugSessionRepository(storage.db) });
    const session = await service.create({ ...program, stop_on_entry: true }, 'a');
    await expect(service.get(session.id, 'b')).rejects.toMatchObject({ code: 'debug_session_not_found' });
    await expect(service.get(session.id, null)).rejects.toMatchObject({ code: 'debug_session_not_found' });
  });
});
