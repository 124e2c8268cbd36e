import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

export type DebugSessionStatus = 'live' | 'terminated' | 'expired';

/** A debug session as stored; the spec and the last stop are the JSON the service wrote. */
export interface StoredDebugSession {
  id: string;
  owner: string | null;
  language: string;
  spec: unknown;
  status: DebugSessionStatus;
  lastStop: unknown;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
}

export interface DebugSessionRepository {
  create(session: Omit<StoredDebugSession, 'lastStop' | 'status'>): Promise<void>;
  get(id: string): Promise<StoredDebugSession | undefined>;
  /** Newest first, at most `limit`. */
  listByOwner(owner: string | null, limit: number): Promise<StoredDebugSession[]>;
  /** Ids of sessions still marked live (after a restart, none has a process yet). */
  listLive(): Promise<string[]>;
  update(
    id: string,
    changes: { status?: DebugSessionStatus; lastStop?: unknown; lastActiveAt?: number },
  ): Promise<void>;
  appendJournal(id: string, position: number, operation: unknown): Promise<void>;
  /** The journal in order. */
  journal(id: string): Promise<unknown[]>;
  appendEvent(id: string, position: number, event: unknown): Promise<void>;
  /**
   * Events and session changes gathered since the last call, written in one transaction (one commit instead
   * of one per row: a debugger step produces several events plus a new last stop and activity time).
   */
  saveProgress(
    id: string,
    progress: {
      events: { position: number; event: unknown }[];
      changes: { lastStop?: unknown; lastActiveAt?: number };
    },
  ): Promise<void>;
  /** Events after `afterPosition` (exclusive), in order, at most `limit`. */
  events(id: string, afterPosition: number, limit: number): Promise<{ position: number; event: unknown }[]>;
  /** The highest event position, or 0. */
  lastEventPosition(id: string): Promise<number>;
  /** Deletes ended sessions (and their journal and events) last active before `time`; answers how many. */
  purgeEndedBefore(time: number): Promise<number>;
}

/**
 * Debug sessions on a Kysely database, the same code for SQLite and PostgreSQL.
 *
 * @example
 * const repository = createDebugSessionRepository(storage.db);
 * await repository.appendJournal('dbg_1', 0, { kind: 'command', command: 'step_over' });
 */
export function createDebugSessionRepository(db: Kysely<Database>): DebugSessionRepository {
  return {
    async create(session) {
      await db
        .insertInto('debug_sessions')
        .values({
          id: session.id,
          owner: session.owner,
          language: session.language,
          spec: JSON.stringify(session.spec),
          status: 'live',
          last_stop: null,
          created_at: session.createdAt,
          last_active_at: session.lastActiveAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('debug_sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toStored(row) : undefined;
    },
    async listByOwner(owner, limit) {
      const query = db.selectFrom('debug_sessions').selectAll().orderBy('created_at', 'desc').limit(limit);
      const rows = await (
        owner === null ? query.where('owner', 'is', null) : query.where('owner', '=', owner)
      ).execute();
      return rows.map(toStored);
    },
    async listLive() {
      const rows = await db.selectFrom('debug_sessions').select('id').where('status', '=', 'live').execute();
      return rows.map((row) => row.id);
    },
    async update(id, changes) {
      const values = sessionValues(changes);
      if (Object.keys(values).length === 0) return;
      await db.updateTable('debug_sessions').set(values).where('id', '=', id).execute();
    },
    async appendJournal(id, position, operation) {
      await db
        .insertInto('debug_session_journal')
        .values({ session_id: id, position, operation: JSON.stringify(operation), created_at: Date.now() })
        .execute();
    },
    async journal(id) {
      const rows = await db
        .selectFrom('debug_session_journal')
        .select('operation')
        .where('session_id', '=', id)
        .orderBy('position')
        .execute();
      return rows.map((row) => JSON.parse(row.operation) as unknown);
    },
    async appendEvent(id, position, event) {
      await db
        .insertInto('debug_session_events')
        .values({ session_id: id, position, event: JSON.stringify(event), created_at: Date.now() })
        .execute();
    },
    async saveProgress(id, progress) {
      const values = sessionValues(progress.changes);
      if (progress.events.length === 0 && Object.keys(values).length === 0) return;
      const createdAt = Date.now();
      await db.transaction().execute(async (transaction) => {
        if (progress.events.length > 0) {
          await transaction
            .insertInto('debug_session_events')
            .values(
              progress.events.map((entry) => ({
                session_id: id,
                position: entry.position,
                event: JSON.stringify(entry.event),
                created_at: createdAt,
              })),
            )
            .execute();
        }
        if (Object.keys(values).length > 0) {
          await transaction.updateTable('debug_sessions').set(values).where('id', '=', id).execute();
        }
      });
    },
    async events(id, afterPosition, limit) {
      const rows = await db
        .selectFrom('debug_session_events')
        .select(['position', 'event'])
        .where('session_id', '=', id)
        .where('position', '>', afterPosition)
        .orderBy('position')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ position: Number(row.position), event: JSON.parse(row.event) as unknown }));
    },
    async lastEventPosition(id) {
      const row = await db
        .selectFrom('debug_session_events')
        .select((expression) => expression.fn.max('position').as('last'))
        .where('session_id', '=', id)
        .executeTakeFirst();
      return Number(row?.last ?? 0);
    },
    async purgeEndedBefore(time) {
      return db.transaction().execute(async (transaction) => {
        const ended = await transaction
          .selectFrom('debug_sessions')
          .select('id')
          .where('status', '!=', 'live')
          .where('last_active_at', '<', time)
          .execute();
        const ids = ended.map((row) => row.id);
        if (ids.length === 0) return 0;
        await transaction.deleteFrom('debug_session_events').where('session_id', 'in', ids).execute();
        await transaction.deleteFrom('debug_session_journal').where('session_id', 'in', ids).execute();
        await transaction.deleteFrom('debug_sessions').where('id', 'in', ids).execute();
        return ids.length;
      });
    },
  };
}

/** The `debug_sessions` columns for the given changes (only those present). */
function sessionValues(changes: {
  status?: DebugSessionStatus;
  lastStop?: unknown;
  lastActiveAt?: number;
}): Partial<Database['debug_sessions']> {
  const values: Partial<Database['debug_sessions']> = {};
  if (changes.status !== undefined) values.status = changes.status;
  if (changes.lastStop !== undefined) values.last_stop = JSON.stringify(changes.lastStop);
  if (changes.lastActiveAt !== undefined) values.last_active_at = changes.lastActiveAt;
  return values;
}

function toStored(row: Database['debug_sessions']): StoredDebugSession {
  return {
    id: row.id,
    owner: row.owner,
    language: row.language,
    spec: JSON.parse(row.spec) as unknown,
    status: row.status as DebugSessionStatus,
    lastStop: row.last_stop === null ? null : (JSON.parse(row.last_stop) as unknown),
    createdAt: Number(row.created_at),
    lastActiveAt: Number(row.last_active_at),
    expiresAt: Number(row.expires_at),
  };
}
