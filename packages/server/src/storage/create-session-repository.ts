import type { Kysely, Transaction } from 'kysely';
import { PlumbError, type ChatMessage } from '@plumb/protocol';
import type { Database } from './database.ts';
import type { SessionRepository, StoredSession } from './storage.ts';

/** Rows per INSERT: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters (4 per row). */
const insertBatchSize = 500;

/**
 * Sessions on a Kysely database, the same code for SQLite and PostgreSQL. Messages are stored one row per
 * message, as the exact JSON the client sent, keyed by `(session_id, position)`.
 *
 * @example
 * const sessions = createSessionRepository(db);
 * await sessions.create({ id: 'sess_1', owner: null, mode: 'code', metadata: {}, messages: [] });
 * await sessions.appendMessages('sess_1', [{ role: 'user', content: 'Hi' }]);
 */
export function createSessionRepository(db: Kysely<Database>): SessionRepository {
  return {
    async create(input) {
      const now = Date.now();
      const metadata = JSON.stringify(input.metadata);
      const messages = input.messages.map((message) => JSON.stringify(message));
      try {
        await db.transaction().execute(async (transaction) => {
          await transaction
            .insertInto('sessions')
            .values({
              id: input.id,
              owner: input.owner,
              mode: input.mode,
              metadata,
              created_at: now,
              updated_at: now,
              expires_at: null,
            })
            .execute();
          await insertMessages(transaction, { sessionId: input.id, firstPosition: 0, messages, now });
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new PlumbError(
            'conflict',
            `A session with id "${input.id}" already exists. Create the session with a new id.`,
            { cause: error },
          );
        }
        throw error;
      }
      // Parsed back from what was stored, so the caller gets exactly what `get` will return.
      return {
        id: input.id,
        owner: input.owner,
        mode: input.mode,
        metadata: JSON.parse(metadata) as Record<string, string>,
        createdAt: now,
        updatedAt: now,
        messages: messages.map((message) => JSON.parse(message) as ChatMessage),
      };
    },

    async get(id) {
      // Sessions are read on every stateful chat request: two primary-key lookups, nothing more.
      const session = await db
        .selectFrom('sessions')
        .select(['id', 'owner', 'mode', 'metadata', 'created_at', 'updated_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (session === undefined) return undefined;
      const rows = await db
        .selectFrom('session_messages')
        .select('message')
        .where('session_id', '=', id)
        .orderBy('position')
        .execute();
      const stored: StoredSession = {
        id: session.id,
        owner: session.owner,
        mode: toMode(session.mode),
        metadata: JSON.parse(session.metadata) as Record<string, string>,
        createdAt: Number(session.created_at),
        updatedAt: Number(session.updated_at),
        messages: rows.map((row) => JSON.parse(row.message) as ChatMessage),
      };
      return stored;
    },

    async appendMessages(id, messages) {
      const now = Date.now();
      const serialized = messages.map((message) => JSON.stringify(message));
      await db.transaction().execute(async (transaction) => {
        // Writing the session row first takes its lock before anything is read. In PostgreSQL that is a row
        // lock (like SELECT ... FOR UPDATE), so concurrent appends to one session queue here and each reads
        // the positions the previous one committed. In SQLite it takes the write lock up front, so a deferred
        // transaction never has to upgrade a stale read lock (which fails with SQLITE_BUSY at once).
        const updated = await transaction
          .updateTable('sessions')
          .set({ updated_at: now })
          .where('id', '=', id)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) {
          throw new PlumbError(
            'session_not_found',
            `No session "${id}" exists, so no messages were added. Create it with POST /v3/sessions first.`,
            { param: 'session_id' },
          );
        }
        const last = await transaction
          .selectFrom('session_messages')
          .select((expression) => expression.fn.max('position').as('position'))
          .where('session_id', '=', id)
          .executeTakeFirst();
        const lastPosition = last?.position ?? null;
        await insertMessages(transaction, {
          sessionId: id,
          firstPosition: lastPosition === null ? 0 : Number(lastPosition) + 1,
          messages: serialized,
          now,
        });
      });
    },

    async delete(id) {
      // session_messages rows go with it (ON DELETE CASCADE; SQLite has foreign_keys = ON).
      const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

async function insertMessages(
  transaction: Transaction<Database>,
  options: { sessionId: string; firstPosition: number; messages: string[]; now: number },
): Promise<void> {
  const rows = options.messages.map((message, index) => ({
    session_id: options.sessionId,
    position: options.firstPosition + index,
    message,
    created_at: options.now,
  }));
  for (let start = 0; start < rows.length; start += insertBatchSize) {
    await transaction
      .insertInto('session_messages')
      .values(rows.slice(start, start + insertBatchSize))
      .execute();
  }
}

function toMode(value: string | null): StoredSession['mode'] {
  return value === 'code' || value === 'chat' ? value : null;
}

/** A primary-key or unique violation, in PostgreSQL (`23505`) or SQLite (better-sqlite3 codes). */
function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return (
    error.code === '23505' ||
    error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    error.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
