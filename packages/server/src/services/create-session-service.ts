import { randomBytes } from 'node:crypto';
import {
  PlumbError,
  type ChatMessage,
  type CreateSessionRequest,
  type DeletedSession,
  type Session,
} from '@plumb/protocol';
import type { Storage, StoredSession } from '../storage/index.ts';

export interface SessionService {
  create(request: CreateSessionRequest, owner: string | null): Promise<Session>;
  get(id: string, owner: string | null): Promise<Session>;
  delete(id: string, owner: string | null): Promise<DeletedSession>;
  /** The stored messages of a session, to prepend to a new turn. */
  history(id: string, owner: string | null): Promise<ChatMessage[]>;
  append(id: string, owner: string | null, messages: ChatMessage[]): Promise<void>;
}

/**
 * Stateful chat sessions: the server keeps the conversation so clients send only new messages. A session
 * belongs to the principal that created it; others get `session_not_found` (never a hint that it exists).
 *
 * @example
 * const session = await sessions.create({ messages: [{ role: 'system', content: 'Use Python 3.12.' }] }, null);
 */
export function createSessionService(storage: Storage): SessionService {
  async function load(id: string, owner: string | null): Promise<StoredSession> {
    const session = await storage.sessions.get(id);
    if (!session || session.owner !== owner) {
      throw new PlumbError(
        'session_not_found',
        `No session "${id}" exists for this caller. Create one with POST /v3/sessions and send its id.`,
        { param: 'session_id' },
      );
    }
    return session;
  }

  return {
    async create(request, owner) {
      const stored = await storage.sessions.create({
        id: `sess_${randomBytes(18).toString('base64url')}`,
        owner,
        mode: request.mode ?? null,
        metadata: request.metadata ?? {},
        messages: request.messages ?? [],
      });
      return toSession(stored);
    },
    async get(id, owner) {
      return toSession(await load(id, owner));
    },
    async delete(id, owner) {
      await load(id, owner);
      await storage.sessions.delete(id);
      return { id, object: 'session.deleted', deleted: true };
    },
    async history(id, owner) {
      return (await load(id, owner)).messages;
    },
    async append(id, owner, messages) {
      await load(id, owner);
      await storage.sessions.appendMessages(id, messages);
    },
  };
}

function toSession(stored: StoredSession): Session {
  return {
    id: stored.id,
    object: 'session',
    created: Math.floor(stored.createdAt / 1000),
    updated: Math.floor(stored.updatedAt / 1000),
    mode: stored.mode,
    metadata: stored.metadata,
    messages: stored.messages,
  };
}
