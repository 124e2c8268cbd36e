import { setTimeout as sleep } from 'node:timers/promises';
import { estimateTokenCount } from '@plumb/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../src/metering/usage-store.ts';
import { readLedger } from './read-ledger.ts';
import { startTestServer, type TestServer } from './start-test-server.ts';

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

describe('token counting when the provider reports no usage', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const chat = (body: object, requestId: string, signal?: AbortSignal) =>
    fetch(`${server.plumb.url}/v3/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({
        model: server.model,
        mode: 'chat',
        messages: [{ role: 'user', content: 'Describe the fox, please.' }],
        ...body,
      }),
      ...(signal ? { signal } : {}),
    });

  it('charges a streamed answer exactly what the same answer costs unstreamed', async () => {
    const answer = 'The quick brown fox jumps over the lazy dog, twice: déjà vu! '.repeat(4);
    server.scripted.enqueue({ text: answer, usage: null });
    const plain = await chat({}, 'parity-plain');
    const plainBody = (await plain.json()) as { usage: Usage; plumb: { warnings: string[] } };
    expect(plainBody.plumb.warnings.join(' ')).toContain('tokenizer');

    // Another chunking of the same text (three scripted tokens per chunk): the count must not depend on it.
    server.scripted.enqueue({ text: answer, usage: null, tokensPerChunk: 3 });
    const streamed = await chat({ stream: true, stream_options: { include_usage: true } }, 'parity-stream');
    const usageLine = (await streamed.text()).split('\n').find((line) => line.includes('"usage":{'));
    const streamedUsage = (JSON.parse(usageLine!.slice('data: '.length)) as { usage: Usage }).usage;

    expect(plainBody.usage.completion_tokens).toBe(estimateTokenCount(answer));
    expect(streamedUsage).toEqual(plainBody.usage);
    const events = await readLedger(server);
    const plainEvent = events.find((event) => event.request_id === 'parity-plain');
    const streamedEvent = events.find((event) => event.request_id === 'parity-stream');
    expect(plainEvent).toMatchObject({ token_source: 'tokenizer', streamed: 0 });
    expect(streamedEvent).toMatchObject({
      token_source: 'tokenizer',
      streamed: 1,
      prompt_tokens: plainEvent?.prompt_tokens,
      completion_tokens: plainEvent?.completion_tokens,
      cost_nanos: plainEvent?.cost_nanos,
    });
  });

  it('meters an abandoned stream for what was relayed before the client left', async () => {
    const answer = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    server.scripted.enqueue({ text: answer, tokensPerSecond: 200 });
    const abort = new AbortController();
    const response = await chat({ stream: true }, 'abandoned-stream', abort.signal);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let received = '';
    while (!received.includes('word5')) {
      const { value } = await reader.read();
      received += new TextDecoder().decode(value);
    }
    abort.abort();

    let event: UsageEvent | undefined;
    for (let attempt = 0; attempt < 40 && !event; attempt += 1) {
      await sleep(50);
      event = (await readLedger(server)).find((candidate) => candidate.request_id === 'abandoned-stream');
    }
    // Providers report usage only at the end of a stream, so the relayed part is counted with the tokenizer.
    expect(event).toMatchObject({ token_source: 'tokenizer', streamed: 1 });
    expect(event?.completion_tokens).toBeGreaterThan(0);
    expect(event?.completion_tokens).toBeLessThan(estimateTokenCount(answer));
  });

  it('does not charge a stream that failed upstream', async () => {
    server.scripted.enqueue({ text: 'one two three four five six', errorAfterChunks: 2 });
    const response = await chat({ stream: true }, 'failed-stream');
    expect(await response.text()).toContain('"error"');
    await sleep(100);
    const events = await readLedger(server);
    expect(events.find((event) => event.request_id === 'failed-stream')).toBeUndefined();
  });
});
