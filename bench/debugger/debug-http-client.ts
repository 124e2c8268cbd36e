import { Client } from 'undici';

/** What the bench reads of a debug session answer (`DebugSessionView`). */
export interface DebugSessionAnswer {
  id: string;
  status: string;
  stop:
    | { status: 'stopped'; snapshot: { location: { line: number } } }
    | { status: 'running' }
    | { status: 'terminated'; exitCode: number | null }
    | null;
}

/** A program for `POST /v3/debug/sessions`. */
export interface SessionProgram {
  name: string;
  content: string;
}

/**
 * Plumb's debug session API over one keep-alive connection (undici `Client`, pipelining 1): requests go one
 * after another, as an interactive client sends them.
 *
 * @example
 * const http = new DebugHttpClient('http://127.0.0.1:8080');
 * const session = await http.create({ name: 'main.py', content: 'x = 1\n' }, { stopOnEntry: true });
 * await http.command(session.id, 'step_over');
 * await http.remove(session.id);
 */
export class DebugHttpClient {
  private readonly client: Client;

  constructor(origin: string) {
    this.client = new Client(origin, { pipelining: 1, keepAliveTimeout: 60_000 });
  }

  private async call<T>(method: 'POST' | 'DELETE' | 'GET', path: string, body?: object): Promise<T> {
    const response = await this.client.request({
      method,
      path,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) {
      throw new Error(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 500)}`);
    }
    return JSON.parse(text) as T;
  }

  /** Creates a session on `program`, stopped on entry or at a breakpoint on `breakpointLine`. */
  create(
    program: SessionProgram,
    options: { stopOnEntry?: boolean; breakpointLine?: number },
  ): Promise<DebugSessionAnswer> {
    return this.call('POST', '/v3/debug/sessions', {
      files: [{ path: program.name, content: program.content }],
      program: program.name,
      stop_on_entry: options.stopOnEntry ?? false,
      ...(options.breakpointLine === undefined
        ? {}
        : { breakpoints: [{ file: program.name, breakpoints: [{ line: options.breakpointLine }] }] }),
    });
  }

  command(id: string, command: 'step_over' | 'continue'): Promise<DebugSessionAnswer> {
    return this.call('POST', `/v3/debug/sessions/${encodeURIComponent(id)}/commands`, { command });
  }

  remove(id: string): Promise<{ deleted: boolean }> {
    return this.call('DELETE', `/v3/debug/sessions/${encodeURIComponent(id)}`);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
