import { Pool } from 'undici';

/** Where a scenario sends chat completion requests: the scripted server directly, or Plumb in front of it. */
export interface ChatTarget {
  /** Row label, e.g. `direct` or `via Plumb`. */
  label: string;
  /** Keep-alive connection pool to the target's origin. */
  pool: Pool;
  /** Request path, e.g. `/v1/chat/completions` or `/v3/chat/completions`. */
  path: string;
  /** The JSON request body, serialized once so serialization is not part of what is timed. */
  body: { json: string; stream: string };
  /** Request headers (content type, and credentials where the target needs them). */
  headers: Record<string, string>;
}

export const benchModel = 'scripted/scripted-model';
export const jsonHeaders = { 'content-type': 'application/json' };

/**
 * A target with its own undici `Pool` (keep-alive, `connections` sockets, no pipelining). The same body goes
 * to both targets; the scripted server ignores `mode`, Plumb requires it.
 *
 * @example
 * const direct = createChatTarget({ label: 'direct', url: 'http://127.0.0.1:8787/v1/chat/completions', connections: 64 });
 */
export function createChatTarget(options: {
  label: string;
  /** Full URL of the chat completions endpoint. */
  url: string;
  connections: number;
  mode?: 'chat' | 'code';
  /** `Authorization: Bearer <credential>` (an API key or an OAuth access token). */
  bearer?: string;
}): ChatTarget {
  const url = new URL(options.url);
  const base = {
    model: benchModel,
    mode: options.mode ?? 'chat',
    messages: [{ role: 'user', content: 'hi' }],
  };
  return {
    label: options.label,
    pool: new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      // Idle benchmark streams send nothing for seconds; the client must not give up on them.
      bodyTimeout: 0,
      headersTimeout: 60_000,
    }),
    path: url.pathname,
    headers: options.bearer ? { ...jsonHeaders, authorization: `Bearer ${options.bearer}` } : jsonHeaders,
    body: {
      json: JSON.stringify(base),
      stream: JSON.stringify({ ...base, stream: true, stream_options: { include_usage: true } }),
    },
  };
}
