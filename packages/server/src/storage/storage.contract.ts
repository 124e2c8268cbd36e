import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlumbError, type ChatMessage } from '@plumb/protocol';
import type { Storage } from './storage.ts';

export interface StorageContractOptions {
  name: string;
  /** Opens the same database every time it is called (the suite reopens it to check migrations and restarts). */
  create: () => Promise<Storage>;
  /** A reason to skip the whole suite (for example an unreachable database), or `false`. */
  skip?: string | false;
}

/** About 1 MB of text without NUL characters. */
const bigText = 'Plumb keeps sessions: ü ✓ 漢字 🙂\n'.repeat(30_000);

/** Messages of every shape a client may send, with text that breaks naive escaping. */
const roundTripMessages: ChatMessage[] = [
  { role: 'system', content: 'Use Python 3.12. "Quotes", \\backslashes\\, \ttabs, \u2028line separators.' },
  { role: 'developer', content: [{ type: 'text', text: 'Prefer the standard library.' }], name: 'lead' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Héllo wörld — 你好 — مرحبا — e\u0301 — 👩‍💻 — \u{1F600}' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
      { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
      { type: 'file', file: { file_id: 'file_1', filename: 'main.py' } },
    ],
    name: 'ada',
  },
  {
    role: 'assistant',
    content: null,
    refusal: null,
    tool_calls: [
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'run_tests', arguments: '{"path":"tests/","k":"not slow"}' },
      },
    ],
  },
  { role: 'tool', tool_call_id: 'call_1', content: '{"passed":12,"failed":0,"nul":"\u0000"}' },
  { role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot do that.' }] },
  { role: 'user', content: bigText },
];

function textMessage(text: string): ChatMessage {
  return { role: 'user', content: text };
}

function newId(): string {
  return `sess_${randomUUID()}`;
}

/**
 * The behaviour every `Storage` implementation must have. Call it from each implementation's test file.
 *
 * @example
 * runStorageContract({ name: 'sqlite', create: () => openStorage({ dataDirectory: directory }) });
 */
export function runStorageContract(options: StorageContractOptions): void {
  if (options.skip) {
    describe.skip(`Storage contract: ${options.name} (skipped: ${options.skip})`, () => {
      it('skipped', () => {});
    });
    return;
  }

  describe(`Storage contract: ${options.name}`, () => {
    let storage: Storage;

    beforeAll(async () => {
      storage = await options.create();
    });

    afterAll(async () => {
      await storage?.close();
    });

    it('names its dialect', () => {
      expect(['sqlite', 'postgres']).toContain(storage.dialect);
    });

    it('answers ping', async () => {
      await expect(storage.ping()).resolves.toBeUndefined();
    });

    it('returns a created session unchanged from get, message JSON exactly preserved', async () => {
      const id = newId();
      const before = Date.now();
      const created = await storage.sessions.create({
        id,
        owner: 'client_1',
        mode: 'code',
        metadata: { project: 'plumb', empty: '', unicode: '🙂 ü' },
        messages: roundTripMessages,
      });
      const after = Date.now();
      expect(created.messages).toEqual(roundTripMessages);
      expect(created.createdAt).toBeGreaterThanOrEqual(before);
      expect(created.createdAt).toBeLessThanOrEqual(after);

      const loaded = await storage.sessions.get(id);
      expect(loaded).toEqual(created);
      expect(JSON.stringify(loaded?.messages)).toBe(JSON.stringify(roundTripMessages));
      expect(typeof loaded?.createdAt).toBe('number');
      expect(typeof loaded?.updatedAt).toBe('number');
      expect(loaded?.createdAt).toBe(created.createdAt);
    });

    it('stores owner null, every mode and empty metadata', async () => {
      for (const mode of ['code', 'chat', null] as const) {
        const id = newId();
        await storage.sessions.create({ id, owner: null, mode, metadata: {}, messages: [] });
        expect(await storage.sessions.get(id)).toMatchObject({
          id,
          owner: null,
          mode,
          metadata: {},
          messages: [],
        });
      }
    });

    it('refuses a second session with the same id', async () => {
      const id = newId();
      await storage.sessions.create({ id, owner: null, mode: null, metadata: {}, messages: [] });
      const error: unknown = await storage.sessions
        .create({ id, owner: null, mode: null, metadata: {}, messages: [textMessage('again')] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PlumbError);
      expect((error as PlumbError).code).toBe('conflict');
      expect((await storage.sessions.get(id))?.messages).toEqual([]);
    });

    it('keeps messages in order across many appends and moves updatedAt', async () => {
      const id = newId();
      const created = await storage.sessions.create({
        id,
        owner: null,
        mode: 'chat',
        metadata: {},
        messages: [textMessage('opening')],
      });
      const expected: ChatMessage[] = [textMessage('opening')];
      for (let turn = 0; turn < 30; turn += 1) {
        const batch = Array.from({ length: (turn % 3) + 1 }, (_, index) =>
          textMessage(`turn ${turn}.${index}`),
        );
        await storage.sessions.appendMessages(id, batch);
        expected.push(...batch);
      }
      await storage.sessions.appendMessages(id, []);
      const loaded = await storage.sessions.get(id);
      expect(loaded?.messages).toEqual(expected);
      expect(loaded?.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
      expect(loaded?.createdAt).toBe(created.createdAt);
    });

    it('lands 20 concurrent appends to one session at distinct positions, each as one block', async () => {
      const id = newId();
      await storage.sessions.create({ id, owner: null, mode: null, metadata: {}, messages: [] });
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          storage.sessions.appendMessages(id, [textMessage(`${index}-a`), textMessage(`${index}-b`)]),
        ),
      );
      const contents =
        (await storage.sessions.get(id))?.messages.map((message) =>
          typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
        ) ?? [];
      expect(contents).toHaveLength(40);
      for (let position = 0; position < 40; position += 2) {
        const first = contents[position] ?? '';
        expect(first).toMatch(/^\d+-a$/);
        expect(contents[position + 1]).toBe(first.replace('-a', '-b'));
      }
      expect(new Set(contents).size).toBe(40);

      const positions = await storage.db
        .selectFrom('session_messages')
        .select('position')
        .where('session_id', '=', id)
        .orderBy('position')
        .execute();
      expect(positions.map((row) => row.position)).toEqual(Array.from({ length: 40 }, (_, index) => index));
    });

    it('returns undefined for an unknown session', async () => {
      expect(await storage.sessions.get(newId())).toBeUndefined();
    });

    it('rejects appending to an unknown session with session_not_found and stores nothing', async () => {
      const id = newId();
      const error: unknown = await storage.sessions
        .appendMessages(id, [textMessage('lost')])
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PlumbError);
      expect((error as PlumbError).code).toBe('session_not_found');
      const rows = await storage.db
        .selectFrom('session_messages')
        .select('position')
        .where('session_id', '=', id)
        .execute();
      expect(rows).toEqual([]);
    });

    it('deletes a session with its messages, and answers false the second time', async () => {
      const id = newId();
      await storage.sessions.create({
        id,
        owner: null,
        mode: null,
        metadata: {},
        messages: [textMessage('one')],
      });
      await storage.sessions.appendMessages(id, [textMessage('two')]);
      expect(await storage.sessions.delete(id)).toBe(true);
      expect(await storage.sessions.get(id)).toBeUndefined();
      const rows = await storage.db
        .selectFrom('session_messages')
        .select('position')
        .where('session_id', '=', id)
        .execute();
      expect(rows).toEqual([]);
      expect(await storage.sessions.delete(id)).toBe(false);
    });

    it('stores SQL-looking ids, owners and metadata verbatim', async () => {
      const id = `x'); DROP TABLE sessions; -- "%_\\`;
      const lookalike = `x'); DROP TABLE sessions; -- "ab\\`;
      const metadata = { "' OR '1'='1": '"; DELETE FROM session_messages; --', 'percent%_': '\\x00 $1 ?' };
      await storage.sessions.create({
        id,
        owner: "o'brien",
        mode: null,
        metadata,
        messages: [textMessage("'; --")],
      });
      await storage.sessions.appendMessages(id, [textMessage('$1 ? :name @p0')]);
      const loaded = await storage.sessions.get(id);
      expect(loaded).toMatchObject({ id, owner: "o'brien", metadata });
      expect(loaded?.messages).toEqual([textMessage("'; --"), textMessage('$1 ? :name @p0')]);
      expect(await storage.sessions.get(lookalike)).toBeUndefined();
      expect(await storage.sessions.delete(lookalike)).toBe(false);
      expect(await storage.sessions.delete(id)).toBe(true);
    });

    it('opens the same database again (migrations are idempotent) and sees the same data', async () => {
      const id = newId();
      await storage.sessions.create({
        id,
        owner: null,
        mode: 'code',
        metadata: {},
        messages: [textMessage('kept')],
      });
      const second = await options.create();
      try {
        expect((await second.sessions.get(id))?.messages).toEqual([textMessage('kept')]);
        await second.sessions.appendMessages(id, [textMessage('from the second')]);
      } finally {
        await second.close();
      }
      expect((await storage.sessions.get(id))?.messages).toEqual([
        textMessage('kept'),
        textMessage('from the second'),
      ]);
    });

    it('closes, tolerates a second close, and fails ping afterwards', async () => {
      const other = await options.create();
      await other.ping();
      await other.close();
      await expect(other.close()).resolves.toBeUndefined();
      await expect(other.ping()).rejects.toThrow();
    });
  });
}
