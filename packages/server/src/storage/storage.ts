import type { Kysely } from 'kysely';
import type { ChatMessage } from '@plumb/protocol';
import type { Database } from './database.ts';

/** A session as stored: the conversation the server keeps so clients send only new messages. */
export interface StoredSession {
  id: string;
  owner: string | null;
  mode: 'code' | 'chat' | null;
  metadata: Record<string, string>;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Milliseconds since the epoch; moves on every append. */
  updatedAt: number;
  /** In the order they were added. */
  messages: ChatMessage[];
}

export interface CreateSessionInput {
  id: string;
  owner: string | null;
  mode: 'code' | 'chat' | null;
  metadata: Record<string, string>;
  messages: ChatMessage[];
}

export interface SessionRepository {
  /** Stores a new session with its opening messages; throws `PlumbError('conflict')` if the id is taken. */
  create(input: CreateSessionInput): Promise<StoredSession>;
  /** The session with its messages in order, or `undefined`. Two indexed queries. */
  get(id: string): Promise<StoredSession | undefined>;
  /**
   * Adds messages after the existing ones, all or nothing. Concurrent appends to one session never collide;
   * each lands as a contiguous block. Throws `PlumbError('session_not_found')` if the session does not exist.
   */
  appendMessages(id: string, messages: ChatMessage[]): Promise<void>;
  /** Deletes the session and its messages; `false` if there was none. */
  delete(id: string): Promise<boolean>;
}

/** Where Plumb keeps its state: SQLite by default, PostgreSQL when configured. */
export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  /** The migrated database; features add their own repositories on it. */
  readonly db: Kysely<Database>;
  readonly sessions: SessionRepository;
  /** Resolves if the database answers; throws otherwise (used by `/readyz`). */
  ping(): Promise<void>;
  /** Closes connections; later calls do nothing. */
  close(): Promise<void>;
}
