import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DapClient, DapRequestError } from './dap-client.ts';

/** Frames a message the way an adapter does. */
const frame = (message: object): Buffer => {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
};

interface Adapter {
  port: number;
  /** Resolves with the server's end of the next connection. */
  connection: Promise<net.Socket>;
  close(): void;
}

/** A real TCP server standing in for a debug adapter; the test scripts what it sends. */
const startAdapter = (): Promise<Adapter> =>
  new Promise((resolve) => {
    let accept: (socket: net.Socket) => void = () => undefined;
    const connection = new Promise<net.Socket>((resolveConnection) => (accept = resolveConnection));
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => {
      sockets.push(socket);
      accept(socket);
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        connection,
        close: () => {
          for (const socket of sockets) socket.destroy();
          server.close();
        },
      });
    });
  });

/** The requests the adapter received, parsed from its side of the connection. */
const receivedRequests = (socket: net.Socket): { seq: number; command: string }[] => {
  const requests: { seq: number; command: string }[] = [];
  let buffer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let match: RegExpExecArray | null;
    while (
      (match = /^Content-Length: (\d+)\r\n\r\n/.exec(buffer)) &&
      buffer.length >= match[0].length + Number(match[1])
    ) {
      const end = match[0].length + Number(match[1]);
      requests.push(JSON.parse(buffer.slice(match[0].length, end)) as { seq: number; command: string });
      buffer = buffer.slice(end);
    }
  });
  return requests;
};

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('DapClient', () => {
  let adapter: Adapter | undefined;
  let client: DapClient | undefined;
  afterEach(() => {
    client?.close();
    adapter?.close();
  });

  it('reassembles a message split across chunks and correlates it with its request', async () => {
    adapter = await startAdapter();
    client = await DapClient.connect({ port: adapter.port });
    const socket = await adapter.connection;
    const requests = receivedRequests(socket);
    const answer = client.request<{ supportsConfigurationDoneRequest: boolean }>('initialize', {
      adapterID: 'test',
    });
    await until(() => requests.length === 1);
    const bytes = frame({
      seq: 1,
      type: 'response',
      request_seq: requests[0]?.seq,
      command: 'initialize',
      success: true,
      body: { supportsConfigurationDoneRequest: true, note: 'é…' },
    });
    // Cut inside the header and inside a multi-byte character of the body.
    for (const piece of [
      bytes.subarray(0, 7),
      bytes.subarray(7, 30),
      bytes.subarray(30, bytes.length - 3),
      bytes.subarray(bytes.length - 3),
    ]) {
      socket.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await answer).toEqual({ supportsConfigurationDoneRequest: true, note: 'é…' });
  });

  it('handles several messages in one chunk: events to listeners, responses to their requests', async () => {
    adapter = await startAdapter();
    client = await DapClient.connect({ port: adapter.port });
    const socket = await adapter.connection;
    const requests = receivedRequests(socket);
    const events: string[] = [];
    client.onEvent((event) => events.push(event.event));
    const first = client.request('threads');
    const second = client.request<{ result: string }>('evaluate', { expression: '1 + 1' });
    await until(() => requests.length === 2);
    const [threads, evaluate] = requests;
    socket.write(
      Buffer.concat([
        frame({ seq: 1, type: 'event', event: 'output', body: { output: 'hi\n' } }),
        frame({
          seq: 2,
          type: 'response',
          request_seq: evaluate?.seq,
          command: 'evaluate',
          success: true,
          body: { result: '2' },
        }),
        frame({
          seq: 3,
          type: 'response',
          request_seq: threads?.seq,
          command: 'threads',
          success: false,
          message: 'not stopped',
        }),
        frame({ seq: 4, type: 'event', event: 'stopped', body: { reason: 'pause' } }),
      ]),
    );
    expect(await second).toEqual({ result: '2' });
    await expect(first).rejects.toMatchObject({
      reason: 'failed',
      message: 'not stopped',
      command: 'threads',
    });
    expect(events).toEqual(['output', 'stopped']);
  });

  it('rejects a request that gets no answer in time, and ignores the late answer', async () => {
    adapter = await startAdapter();
    client = await DapClient.connect({ port: adapter.port }, { requestTimeoutMilliseconds: 50 });
    const socket = await adapter.connection;
    const requests = receivedRequests(socket);
    await expect(client.request('pause', { threadId: 1 })).rejects.toMatchObject({ reason: 'timeout' });
    socket.write(
      frame({ seq: 1, type: 'response', request_seq: requests[0]?.seq, command: 'pause', success: true }),
    );
    const answer = client.request('continue', {}, { timeoutMilliseconds: 2_000 });
    await until(() => requests.length === 2);
    socket.write(
      frame({ seq: 2, type: 'response', request_seq: requests[1]?.seq, command: 'continue', success: true }),
    );
    expect(await answer).toEqual({});
  });

  it('rejects every pending request when the connection is lost, and every later one at once', async () => {
    adapter = await startAdapter();
    client = await DapClient.connect({ port: adapter.port });
    const socket = await adapter.connection;
    const closed = new Promise<string>((resolve) => client?.onClose(resolve));
    const pending = [
      client.request('next'),
      client.request('stackTrace'),
      client.waitForEvent('stopped', 5_000),
    ];
    socket.end();
    for (const request of pending) {
      const error: unknown = await request.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(DapRequestError);
      expect(error).toMatchObject({ reason: 'closed' });
    }
    expect(await closed).toMatch(/closed the connection/);
    expect(client.closed).toBe(true);
    await expect(client.request('continue')).rejects.toMatchObject({ reason: 'closed' });
  });
});
