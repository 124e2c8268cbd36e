import { connect, type Socket } from 'node:net';

/** A Debug Adapter Protocol message as it crosses the wire. */
export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

/**
 * Splits a byte stream into DAP messages (`Content-Length: n\r\n\r\n` + n bytes of JSON). Feed it chunks as
 * they arrive; it returns the complete messages and keeps the rest. Throws on a header without a valid length.
 *
 * @example
 * const parser = new DapMessageParser();
 * parser.push(Buffer.from('Content-Length: 2\r\n\r\n{}')); // [{}]
 */
export class DapMessageParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): DapMessage[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: DapMessage[] = [];
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        if (this.buffer.length > 8192) throw new Error('DAP header longer than 8 KiB without a blank line.');
        return messages;
      }
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /^Content-Length: *(\d{1,9})$/im.exec(header);
      if (!match)
        throw new Error(`DAP header without a Content-Length: ${JSON.stringify(header.slice(0, 200))}`);
      const length = Number(match[1]);
      const bodyStart = headerEnd + 4;
      if (this.buffer.length < bodyStart + length) return messages;
      const body = this.buffer.subarray(bodyStart, bodyStart + length).toString('utf8');
      this.buffer = this.buffer.subarray(bodyStart + length);
      messages.push(JSON.parse(body) as DapMessage);
    }
  }
}

/**
 * A minimal DAP client over TCP: requests answered by `request`, events awaited with `next` (register the
 * wait before sending the request that causes the event). No-delay is set, so a request is one segment.
 *
 * @example
 * const client = await DapSocketClient.connect(5678);
 * await client.request('initialize', { adapterID: 'python' });
 */
export class DapSocketClient {
  private seq = 1;
  private readonly pending = new Map<number, (message: DapMessage) => void>();
  private readonly waiters = new Map<string, Array<(message: DapMessage) => void>>();
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    const parser = new DapMessageParser();
    socket.on('data', (chunk: Buffer) => {
      let messages: DapMessage[];
      try {
        messages = parser.push(chunk);
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      for (const message of messages) this.dispatch(message);
    });
    socket.on('close', () => this.fail(new Error('The debug adapter closed the connection.')));
    socket.on('error', (error) => this.fail(error));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<DapSocketClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new DapSocketClient(socket));
      });
      socket.once('error', reject);
    });
  }

  private dispatch(message: DapMessage): void {
    if (message.type === 'response') {
      const answer = this.pending.get((message as DapMessage & { request_seq: number }).request_seq);
      answer?.(message);
    } else if (message.type === 'event' && message.event !== undefined) {
      const waiting = this.waiters.get(message.event);
      this.waiters.delete(message.event);
      for (const wake of waiting ?? []) wake(message);
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    const failed: DapMessage = { seq: 0, type: 'response', success: false, message: error.message };
    for (const answer of this.pending.values()) answer(failed);
    this.pending.clear();
  }

  /** Sends a request without waiting; the promise settles with the response. */
  request(command: string, argumentsObject: object = {}, timeoutMs = 15_000): Promise<DapMessage> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.seq++;
    const json = JSON.stringify({ seq, type: 'request', command, arguments: argumentsObject });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`No answer to DAP ${command} within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(seq, (message) => {
        clearTimeout(timer);
        this.pending.delete(seq);
        if (message.success) resolve(message);
        else reject(new Error(`DAP ${command} failed: ${message.message ?? 'no message'}`));
      });
      this.socket.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    });
  }

  /** Resolves at the next event named `name`. */
  next(name: string, timeoutMs = 15_000): Promise<DapMessage> {
    const event = new Promise<DapMessage>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No DAP ${name} event within ${timeoutMs} ms.`)),
        timeoutMs,
      );
      const list = this.waiters.get(name) ?? [];
      list.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
      this.waiters.set(name, list);
    });
    // A wait abandoned because something else failed first must not become an unhandled rejection.
    event.catch(() => undefined);
    return event;
  }

  close(): void {
    this.socket.destroy();
  }
}
