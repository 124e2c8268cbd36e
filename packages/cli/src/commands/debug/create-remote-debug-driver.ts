import type { StopResult } from '@plumb/engines';
import type { DebugDriver } from './debug-driver.ts';

interface SessionBody {
  stop: StopResult | null;
  error?: { message: string; code: string };
}

/**
 * Drives a debug session held by a Plumb server (`POST /v3/debug/sessions`), so a person and a model can take
 * turns on the same live program. Quitting leaves the session running; delete it with
 * `DELETE /v3/debug/sessions/:id`.
 *
 * @example const driver = createRemoteDebugDriver({ url: 'http://127.0.0.1:8080', apiKey, sessionId: 'dbg_...' });
 */
export function createRemoteDebugDriver(options: {
  url: string;
  apiKey?: string;
  sessionId: string;
}): DebugDriver {
  const base = `${options.url.replace(/\/$/, '')}/v3/debug/sessions/${encodeURIComponent(options.sessionId)}`;
  const breakpoints = new Map<string, number[]>();

  async function call<TBody>(method: string, suffix: string, body?: unknown): Promise<TBody> {
    const response = await fetch(`${base}${suffix}`, {
      method,
      headers: {
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = (await response.json()) as TBody & { error?: { message: string; code: string } };
    if (!response.ok) {
      throw new Error(
        `error ${parsed.error?.code ?? response.status}: ${parsed.error?.message ?? response.statusText}`,
      );
    }
    return parsed;
  }

  return {
    async start() {
      const session = await call<SessionBody>('GET', '');
      return session.stop ?? { status: 'running' };
    },
    async command(name) {
      const session = await call<SessionBody>('POST', '/commands', { command: name });
      return session.stop ?? { status: 'running' };
    },
    async setBreakpoints(file, lines) {
      breakpoints.set(file, lines);
      const answer = await call<{ breakpoints: { line: number; verified: boolean; message?: string }[] }>(
        'PUT',
        '/breakpoints',
        { file, breakpoints: lines.map((line) => ({ line })) },
      );
      return answer.breakpoints;
    },
    async evaluate(expression) {
      return (await call<{ result: string }>('POST', '/evaluate', { expression })).result;
    },
    async stack() {
      const frames = await call<{ data: { name: string; line: number; source?: { path?: string } }[] }>(
        'GET',
        '/stack',
      );
      return frames.data.map((frame) => ({
        name: frame.name,
        line: frame.line,
        ...(frame.source?.path ? { file: frame.source.path } : {}),
      }));
    },
    async close() {},
  };
}
