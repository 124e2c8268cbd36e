import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { connectInspectorWebSocket } from './connect-inspector-web-socket.ts';

/** A stand-in inspector endpoint that records what the client sends. */
async function startFakeInspector() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const received: Array<{ id?: number; method?: string }> = [];
  const arrivals: Array<() => void> = [];
  let peer: WebSocket | undefined;
  server.on('connection', (socket) => {
    peer = socket;
    socket.on('message', (data: Buffer) => {
      received.push(JSON.parse(data.toString('utf8')) as { id?: number; method?: string });
      arrivals.splice(0).forEach((arrived) => arrived());
    });
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/target`,
    received,
    send: (message: object) => peer?.send(JSON.stringify(message)),
    /** Resolves once the client has sent `count` messages in all. */
    async receivedCount(count: number) {
      while (received.length < count) await new Promise<void>((resolve) => arrivals.push(resolve));
    },
    close: () => {
      // ws's server waits for its clients before it calls back.
      for (const client of server.clients) client.terminate();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('connectInspectorWebSocket', () => {
  let inspector: Awaited<ReturnType<typeof startFakeInspector>> | undefined;
  afterEach(async () => {
    await inspector?.close();
    inspector = undefined;
  });

  it('answers an inspector message with a tiny request, so the inspector side need not wait for a delayed ACK', async () => {
    inspector = await startFakeInspector();
    const connection = await connectInspectorWebSocket(inspector.url);
    const notifications: string[] = [];
    connection.onNotification((method) => notifications.push(method));

    inspector.send({ method: 'Debugger.resumed', params: {} });
    await inspector.receivedCount(1);
    expect(notifications).toEqual(['Debugger.resumed']);
    expect(inspector.received[0]).toEqual({ id: -1, method: 'Runtime.getIsolateId' });
  });

  it('stops nudging after three nudges without a real message in between, so nudges cannot go on forever', async () => {
    inspector = await startFakeInspector();
    await connectInspectorWebSocket(inspector.url);
    inspector.send({ method: 'Debugger.resumed', params: {} });
    // Answer every nudge, as Node's inspector does: the first and two more, then silence.
    for (let nudge = 1; nudge <= 3; nudge += 1) {
      await inspector.receivedCount(nudge);
      inspector.send({ id: -nudge, result: { id: 'isolate' } });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(inspector.received.map((message) => message.id)).toEqual([-1, -2, -3]);
  });

  it('relays requests and their answers, and sends no nudge of its own while a request is being written', async () => {
    inspector = await startFakeInspector();
    const connection = await connectInspectorWebSocket(inspector.url);
    const answer = connection.send<{ ok: boolean }>('Debugger.enable');
    await inspector.receivedCount(1);
    expect(inspector.received[0]).toMatchObject({ method: 'Debugger.enable' });
    inspector.send({ id: inspector.received[0]!.id, result: { ok: true } });
    await expect(answer).resolves.toEqual({ ok: true });
  });

  it('says what is wrong when nothing listens at the address', async () => {
    await expect(connectInspectorWebSocket('ws://127.0.0.1:9/none')).rejects.toMatchObject({
      code: 'debug_attach_failed',
    });
  });
});
