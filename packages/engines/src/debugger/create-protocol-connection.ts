import type { AgentConnection } from './agent-socket-server.ts';

/** A DevTools protocol connection that can also be ended from this side. */
export interface InspectorConnection extends AgentConnection {
  /** Ends the transport; pending requests are rejected and `onClose` listeners run once it has gone. */
  close(): void;
}

/**
 * The request/answer bookkeeping of a DevTools protocol connection, independent of its framing: ids for
 * requests, answers matched to them, notifications to listeners, and every pending request rejected when the
 * transport goes. The agent's Unix socket (JSON lines) and the inspector's WebSocket (one message per frame)
 * feed it whole messages through `receive` and report their end through `ended`.
 *
 * @example const { connection, receive, ended } = createProtocolConnection({ write: (text) => socket.send(text), close: () => socket.close() });
 */
export function createProtocolConnection(transport: { write(text: string): void; close(): void }): {
  connection: InspectorConnection;
  /** Takes one message; answers whether it was for this connection (a pending request's answer or a notification). */
  receive: (text: string) => boolean;
  ended: () => void;
  /** Requests sent and not answered yet. */
  pendingCount: () => number;
} {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  const notificationListeners: ((method: string, params: Record<string, unknown>) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  const ended = () => {
    if (closed) return;
    closed = true;
    for (const waiter of pending.values()) waiter.reject(new Error('the debuggee has ended'));
    pending.clear();
    for (const listener of closeListeners) listener();
  };
  const receive = (text: string): boolean => {
    const message = JSON.parse(text) as {
      id?: number;
      method?: string;
      params?: Record<string, unknown>;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id !== undefined) {
      const waiter = pending.get(message.id);
      if (!waiter) return false;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result as never);
      return true;
    }
    if (!message.method) return false;
    for (const listener of notificationListeners) listener(message.method, message.params ?? {});
    return true;
  };
  const connection: InspectorConnection = {
    get closed() {
      return closed;
    },
    send<TResult>(method: string, params?: object) {
      if (closed) return Promise.reject(new Error('the debuggee has ended'));
      const id = nextId++;
      return new Promise<TResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        transport.write(JSON.stringify({ id, method, params }));
      });
    },
    onNotification(listener) {
      notificationListeners.push(listener);
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    close: () => transport.close(),
  };
  return { connection, receive, ended, pendingCount: () => pending.size };
}
