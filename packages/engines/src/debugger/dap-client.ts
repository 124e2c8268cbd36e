import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { DebugProtocol } from '@vscode/debugprotocol';

export interface DapClientOptions {
  /** How long a request may wait for its response before it is rejected; default 10 000 ms. */
  requestTimeoutMilliseconds?: number;
}

/** A failed request: the adapter answered `success: false`, timed out, or the connection went away. */
export class DapRequestError extends Error {
  constructor(
    message: string,
    readonly command: string,
    readonly reason: 'failed' | 'timeout' | 'closed',
    readonly response?: DebugProtocol.Response,
  ) {
    super(message);
    this.name = 'DapRequestError';
  }
}

interface PendingRequest {
  command: string;
  resolve: (response: DebugProtocol.Response) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const headerSeparator = Buffer.from('\r\n\r\n');

/**
 * A Debug Adapter Protocol client over any byte stream: `Content-Length` framing, `seq`/`request_seq`
 * correlation, a timeout per request, events to listeners. Requests still waiting when the connection closes are
 * rejected, so a dead adapter never leaves a caller hanging.
 *
 * @example
 * const client = await DapClient.connect({ port: 5678 });
 * const capabilities = await client.request('initialize', { adapterID: 'debugpy' });
 * client.close();
 */
export class DapClient {
  private buffer: Buffer = Buffer.alloc(0);
  private sequence = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly listeners = new Set<(event: DebugProtocol.Event) => void>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private closedReason: string | undefined;
  private readonly requestTimeoutMilliseconds: number;

  constructor(
    private readonly stream: Duplex,
    options: DapClientOptions = {},
  ) {
    this.requestTimeoutMilliseconds = options.requestTimeoutMilliseconds ?? 10_000;
    // Nagle's algorithm would hold back each small request for up to 40 ms waiting for more to send.
    if (stream instanceof net.Socket) stream.setNoDelay(true);
    stream.on('data', (chunk: Buffer) => this.receive(chunk));
    stream.on('error', (error: Error) => this.closeWith(`the connection failed: ${error.message}`));
    stream.on('close', () => this.closeWith('the connection closed'));
    stream.on('end', () => this.closeWith('the adapter closed the connection'));
  }

  /**
   * Opens a TCP connection to an adapter and wraps it.
   *
   * @example const client = await DapClient.connect({ host: '127.0.0.1', port: 5678 });
   */
  static connect(
    address: { host?: string; port: number },
    options: DapClientOptions = {},
  ): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address.host ?? '127.0.0.1', port: address.port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new DapClient(socket, options));
      });
    });
  }

  /** True once the connection is gone; every later request is rejected at once. */
  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /**
   * Sends a request and resolves with the response's body; rejects with a {@link DapRequestError} on
   * `success: false`, after the timeout, or when the connection closes first.
   */
  request<TBody = Record<string, unknown>>(
    command: string,
    args?: object,
    options: { timeoutMilliseconds?: number } = {},
  ): Promise<TBody> {
    return this.requestResponse(command, args, options).then((response) => (response.body ?? {}) as TBody);
  }

  /** Like {@link request}, but resolves with the whole response. */
  requestResponse(
    command: string,
    args?: object,
    options: { timeoutMilliseconds?: number } = {},
  ): Promise<DebugProtocol.Response> {
    if (this.closedReason !== undefined) {
      return Promise.reject(
        new DapRequestError(`Cannot send ${command}: ${this.closedReason}.`, command, 'closed'),
      );
    }
    const seq = this.sequence++;
    const message: DebugProtocol.Request = { seq, type: 'request', command, arguments: args };
    return new Promise<DebugProtocol.Response>((resolve, reject) => {
      const timeout = options.timeoutMilliseconds ?? this.requestTimeoutMilliseconds;
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(
          new DapRequestError(
            `The adapter did not answer ${command} within ${timeout} ms.`,
            command,
            'timeout',
          ),
        );
      }, timeout);
      this.pending.set(seq, { command, resolve, reject, timer });
      this.send(message);
    });
  }

  /** Listens to every event the adapter sends; returns the function that stops listening. */
  onEvent(listener: (event: DebugProtocol.Event) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once when the connection goes away, with why. */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Resolves with the next event named `name` that `accept` (default: any) lets through. */
  waitForEvent<TEvent extends DebugProtocol.Event>(
    name: string,
    timeoutMilliseconds: number,
    accept: (event: TEvent) => boolean = () => true,
  ): Promise<TEvent> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        removeEvent();
        removeClose();
      };
      const timer = setTimeout(() => {
        stop();
        reject(new DapRequestError(`No ${name} event within ${timeoutMilliseconds} ms.`, name, 'timeout'));
      }, timeoutMilliseconds);
      const removeEvent = this.onEvent((event) => {
        if (event.event === name && accept(event as TEvent)) {
          stop();
          resolve(event as TEvent);
        }
      });
      const removeClose = this.onClose((reason) => {
        stop();
        reject(new DapRequestError(`No ${name} event: ${reason}.`, name, 'closed'));
      });
    });
  }

  /** Closes the connection; pending requests are rejected. */
  close(): void {
    this.closeWith('the client closed the connection');
    this.stream.destroy();
  }

  private send(message: DebugProtocol.ProtocolMessage): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.stream.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf(headerSeparator);
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length:\s*(\d+)/i.exec(header);
      if (!match) {
        this.closeWith(`the adapter sent a message without Content-Length: ${header.slice(0, 100)}`);
        this.stream.destroy();
        return;
      }
      const start = headerEnd + headerSeparator.length;
      const end = start + Number(match[1]);
      if (this.buffer.length < end) return;
      const text = this.buffer.subarray(start, end).toString('utf8');
      this.buffer = this.buffer.subarray(end);
      this.dispatch(JSON.parse(text) as DebugProtocol.ProtocolMessage);
    }
  }

  private dispatch(message: DebugProtocol.ProtocolMessage): void {
    if (message.type === 'response') {
      const response = message as DebugProtocol.Response;
      const waiter = this.pending.get(response.request_seq);
      if (!waiter) return; // answered after its timeout: nobody waits any more
      this.pending.delete(response.request_seq);
      clearTimeout(waiter.timer);
      if (response.success) waiter.resolve(response);
      else
        waiter.reject(
          new DapRequestError(
            response.message ?? `${waiter.command} failed`,
            waiter.command,
            'failed',
            response,
          ),
        );
    } else if (message.type === 'event') {
      for (const listener of [...this.listeners]) listener(message as DebugProtocol.Event);
    }
    // Reverse requests (runInTerminal, startDebugging) are not used: the adapter launches in its own console.
  }

  private closeWith(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    for (const [seq, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.reject(
        new DapRequestError(`No answer to ${waiter.command}: ${reason}.`, waiter.command, 'closed'),
      );
      this.pending.delete(seq);
    }
    for (const listener of [...this.closeListeners]) listener(reason);
  }
}
