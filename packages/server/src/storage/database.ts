/**
 * Kysely table types of the Plumb database, shared by the SQLite and PostgreSQL dialects.
 *
 * Ids are text, timestamps are integer milliseconds since the epoch (`bigint` columns, returned as JS numbers
 * on both dialects), and JSON is stored as text so both dialects round-trip it byte for byte.
 */
export interface Database {
  sessions: SessionsTable;
  session_messages: SessionMessagesTable;
}

export interface SessionsTable {
  id: string;
  /** The principal that owns the session; `null` when the server runs without auth. */
  owner: string | null;
  /** `'code'`, `'chat'` or `null`. */
  mode: string | null;
  /** JSON of a `Record<string, string>`. */
  metadata: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
}

export interface SessionMessagesTable {
  session_id: string;
  /** 0-based order of the message within its session. */
  position: number;
  /** JSON of one OpenAI chat message. */
  message: string;
  created_at: number;
}
