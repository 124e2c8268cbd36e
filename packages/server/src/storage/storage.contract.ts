import { PlumbError, type ChatMessage } from '@plumb/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from './storage.ts';

/**
 * The behaviour every `Storage` implementation must have. Each implementation's test calls this with a
 * factory that returns a fresh, empty storage.
 *
 * @example
 * runStorageContract({ name: 'sqlite', create: () => createSqliteStorage({ file }) });
 */
export function runStorageContract(options: {
  name: string;
  create: () => Promise<Storage>;
  skip?: string | false;
}): void {
  describe.skipIf(Boolean(options.skip))(`Storage contract: ${options.name}`, () => {
    const opened: Storage[] = [];
    const open = async () => {
      const storage = await options.create();
      opened.push(storage);
      return storage;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((storage) => storage.close()));
    });

    const messages: ChatMessage[] = [
      { role: 'system', content: 'Use Python 3.12. ✓ ünïcode 🚀 \u202e RTL' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'parts' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"path":"a.py"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'x'.repeat(1024 * 1024) },
    ];

    it('creates and reads a session, keeping message JSON exactly', async () => {
      const storage = await open();
      const created = await storage.sessions.create({
        id: 'sess_contract_1',
        owner: 'client-a',
        mode: 'code',
        metadata: { team: 'core' },
        messages,
      });
      expect(created.createdAt).toBeGreaterThan(0);
      const read = await storage.sessions.get('sess_contract_1');
      expect(read).toMatchObject({
        id: 'sess_contract_1',
        owner: 'client-a',
        mode: 'code',
        metadata: { team: 'core' },
      });
      expect(read?.messages).toEqual(messages);
      expect(typeof read?.createdAt).toBe('number');
    });

    it('appends in order across many appends, and concurrently without collisions', async () => {
      const storage = await open();
      await storage.sessions.create({
        id: 'sess_contract_2',
        owner: null,
        mode: null,
        metadata: {},
        messages: [],
      });
      for (let turn = 0; turn < 10; turn += 1) {
        await storage.sessions.appendMessages('sess_contract_2', [{ role: 'user', content: `turn ${turn}` }]);
      }
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          storage.sessions.appendMessages('sess_contract_2', [
            { role: 'user', content: `concurrent ${index}` },
            { role: 'assistant', content: `answer ${index}` },
          ]),
        ),
      );
      const read = await storage.sessions.get('sess_contract_2');
      expect(read?.messages).toHaveLength(50);
      expect(read?.messages.slice(0, 10).map((message) => message.content)).toEqual(
        Array.from({ length: 10 }, (_, turn) => `turn ${turn}`),
      );
      // each concurrent pair stays together
      for (let index = 10; index < 50; index += 2) {
        const question = read?.messages[index]?.content as string;
        expect(read?.messages[index + 1]?.content).toBe(question.replace('concurrent', 'answer'));
      }
      expect(read!.updatedAt).toBeGreaterThanOrEqual(read!.createdAt);
    });

    it('answers unknown ids with undefined, session_not_found or false', async () => {
      const storage = await open();
      expect(await storage.sessions.get('sess_nope')).toBeUndefined();
      await expect(
        storage.sessions.appendMessages('sess_nope', [{ role: 'user', content: 'x' }]),
      ).rejects.toSatisfy(
        (error: unknown) => error instanceof PlumbError && error.code === 'session_not_found',
      );
      expect(await storage.sessions.delete('sess_nope')).toBe(false);
    });

    it('deletes a session with its messages', async () => {
      const storage = await open();
      await storage.sessions.create({
        id: 'sess_contract_3',
        owner: null,
        mode: 'chat',
        metadata: {},
        messages,
      });
      expect(await storage.sessions.delete('sess_contract_3')).toBe(true);
      expect(await storage.sessions.get('sess_contract_3')).toBeUndefined();
      expect(await storage.sessions.delete('sess_contract_3')).toBe(false);
      const orphans = await storage.db
        .selectFrom('session_messages')
        .select('position')
        .where('session_id', '=', 'sess_contract_3')
        .execute();
      expect(orphans).toEqual([]);
    });

    it('stores injection-looking values verbatim', async () => {
      const storage = await open();
      const id = "sess_'; DROP TABLE sessions; --";
      const metadata = { "key'--": 'value"); DELETE FROM session_messages; --' };
      await storage.sessions.create({
        id,
        owner: "o' OR '1'='1",
        mode: null,
        metadata,
        messages: [{ role: 'user', content: "'; --" }],
      });
      const read = await storage.sessions.get(id);
      expect(read).toMatchObject({
        id,
        owner: "o' OR '1'='1",
        metadata,
        messages: [{ role: 'user', content: "'; --" }],
      });
    });

    it('pings, and rejects a duplicate id', async () => {
      const storage = await open();
      await storage.ping();
      await storage.sessions.create({
        id: 'sess_contract_4',
        owner: null,
        mode: null,
        metadata: {},
        messages: [],
      });
      await expect(
        storage.sessions.create({
          id: 'sess_contract_4',
          owner: null,
          mode: null,
          metadata: {},
          messages: [],
        }),
      ).rejects.toThrow();
    });
  });
}
