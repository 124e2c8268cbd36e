import {
  chatCompletionChunkSchema,
  PlumbError,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatMessage,
} from '@plumb/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeSystemPrompt } from './code-system-prompt.ts';
import type { Guard } from './guard.ts';
import { createProviderRegistry } from './provider-registry.ts';
import { startChatStream, type ChatStream } from './stream-chat.ts';
import { startScriptedModelServer, type ScriptedModelServer } from './testing/index.ts';

let server: ScriptedModelServer;
let registry: ReturnType<typeof createProviderRegistry>;
const modelName = 'local/coder';

beforeAll(async () => {
  server = await startScriptedModelServer();
  registry = createProviderRegistry([{ name: 'local', type: 'openai-compatible', baseUrl: server.url }]);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function input(
  request: Partial<ChatCompletionRequest> = {},
  extra: { guards?: Guard[]; abortSignal?: AbortSignal; messages?: ChatMessage[] } = {},
) {
  const messages = extra.messages ?? [{ role: 'user', content: 'Write code.' }];
  const fullRequest: ChatCompletionRequest = {
    model: modelName,
    mode: 'chat',
    stream: true,
    messages,
    ...request,
  };
  return {
    model: registry.resolveModel(modelName).model,
    modelName,
    request: fullRequest,
    messages,
    ...(extra.guards ? { guards: extra.guards } : {}),
    ...(extra.abortSignal ? { abortSignal: extra.abortSignal } : {}),
  };
}

async function collect(stream: ChatStream): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chatCompletionChunkSchema.parse(chunk));
  return chunks;
}

function contentOf(chunks: ChatCompletionChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}

async function rejection(promise: Promise<unknown>): Promise<PlumbError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PlumbError) return error;
    throw error;
  }
  throw new Error('expected a PlumbError');
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const codeAnswer =
  'Create the file:\n\n```ts path=src/app.ts\nconsole.log("hello");\n```\n\nThen run it with `npx tsx src/app.ts`.';

describe('startChatStream', () => {
  it('streams the scripted text in OpenAI chunk order', async () => {
    // Paced, so the tokens arrive in separate reads: content deltas that arrive together are merged.
    server.enqueue({ text: codeAnswer, tokensPerSecond: 100 });
    const stream = await startChatStream({ ...input(), sessionId: 'sess_abcdefgh' });
    const chunks = await collect(stream);
    expect(stream.id).toMatch(/^chatcmpl-/);
    expect(chunks.every((chunk) => chunk.id === stream.id && chunk.model === modelName)).toBe(true);
    expect(chunks[0]?.choices[0]).toEqual({
      index: 0,
      delta: { role: 'assistant', content: '' },
      finish_reason: null,
      logprobs: null,
    });
    expect(contentOf(chunks)).toBe(codeAnswer);
    expect(chunks.length).toBeGreaterThan(5);
    const last = chunks.at(-1);
    expect(last?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop', logprobs: null });
    expect(last?.plumb).toEqual({
      mode: 'chat',
      prompt_version: null,
      session_id: 'sess_abcdefgh',
      guards: [],
      warnings: [],
    });
    expect(chunks.filter((chunk) => chunk.usage)).toEqual([]);
    const outcome = await stream.outcome;
    expect(outcome.message).toEqual({
      role: 'assistant',
      content: codeAnswer,
      refusal: null,
      code_blocks: [{ language: 'ts', path: 'src/app.ts', content: 'console.log("hello");\n' }],
    });
    expect(outcome.finishReason).toBe('stop');
    expect(outcome.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('relays chunks as they arrive, not at the end', async () => {
    server.enqueue({ text: 'one two three four five six seven eight', tokensPerSecond: 20 });
    const stream = await startChatStream(input());
    const arrivals: number[] = [];
    const started = Date.now();
    for await (const chunk of stream)
      if (chunk.choices[0]?.delta.content) arrivals.push(Date.now() - started);
    expect(arrivals.length).toBe(8);
    expect(arrivals[0]).toBeLessThan(300);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThan(200);
  });

  it('adds a usage chunk with no choices when include_usage is set', async () => {
    server.enqueue({ text: 'Hi there', usage: { prompt_tokens: 9, completion_tokens: 2 } });
    const stream = await startChatStream(input({ stream_options: { include_usage: true } }));
    const chunks = await collect(stream);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
    });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect((await stream.outcome).usage).toEqual({
      prompt_tokens: 9,
      completion_tokens: 2,
      total_tokens: 11,
    });
  });

  it('streams tool calls as a start delta then argument fragments', async () => {
    server.enqueue({
      text: 'Checking.',
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
        { id: 'call_b', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
      ],
    });
    const stream = await startChatStream(input());
    const chunks = await collect(stream);
    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: 'call_a',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(toolDeltas.length).toBeGreaterThan(4);
    const assembled = new Map<number, { id?: string; name?: string; arguments: string }>();
    for (const delta of toolDeltas) {
      const call = assembled.get(delta.index) ?? { arguments: '' };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name = delta.function.name;
      call.arguments += delta.function?.arguments ?? '';
      assembled.set(delta.index, call);
    }
    expect([...assembled.values()]).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      { id: 'call_b', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    const outcome = await stream.outcome;
    expect(outcome.message.content).toBe('Checking.');
    expect(outcome.message.tool_calls?.map((call) => call.id)).toEqual(['call_a', 'call_b']);
  });

  it('sends the code prompt first and the whole history upstream in code mode', async () => {
    const messages: ChatMessage[] = [
      { role: 'developer', content: 'Use Deno.' },
      { role: 'user', content: 'A' },
      { role: 'assistant', content: 'B' },
      { role: 'user', content: 'C' },
    ];
    server.enqueue({ text: 'ok' });
    const stream = await startChatStream(input({ mode: 'code' }, { messages }));
    const chunks = await collect(stream);
    expect(chunks.at(-1)?.plumb?.prompt_version).toBe(codeSystemPrompt.version);
    const body = server.requests[0]?.body as { messages: unknown[]; stream: boolean };
    expect(body.stream).toBe(true);
    expect(body.messages).toEqual([
      { role: 'system', content: codeSystemPrompt.text },
      { role: 'system', content: 'Use Deno.' },
      ...messages.slice(1),
    ]);
  });

  it.each([
    [500, 'upstream_error'],
    [503, 'upstream_unavailable'],
    [404, 'model_not_found'],
    [400, 'invalid_request'],
  ] as const)('throws before any chunk when the upstream answers HTTP %i', async (status, code) => {
    server.enqueue({ error: { status, message: `scripted ${status}` } });
    const error = await rejection(startChatStream(input()));
    expect(error.code).toBe(code);
    expect(error.message).toContain(`scripted ${status}`);
  });

  it('throws upstream_error mid-stream and rejects the outcome when the provider sends an error', async () => {
    server.enqueue({
      text: 'one two three four five',
      errorAfterChunks: 2,
      error: { status: 500, message: 'GPU fell over' },
    });
    const stream = await startChatStream(input());
    const received: ChatCompletionChunk[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) received.push(chunk);
      })(),
    );
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('GPU fell over');
    expect(contentOf(received)).toBe('one two ');
    expect(await rejection(stream.outcome)).toBe(error);
  });

  it('cancels the upstream stream when the abort signal fires', async () => {
    server.enqueue({ text: 'word '.repeat(200), tokensPerSecond: 50 });
    const controller = new AbortController();
    const stream = await startChatStream(input({}, { abortSignal: controller.signal }));
    const before = server.abortedStreams;
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) if (chunk.choices[0]?.delta.content) controller.abort();
      })(),
    );
    expect(error.code).toBe('request_timeout');
    await waitFor(() => server.abortedStreams === before + 1);
    await expect(stream.outcome).rejects.toBeInstanceOf(PlumbError);
  });

  it('maps a timeout signal mid-stream to upstream_timeout', async () => {
    server.enqueue({ text: 'word '.repeat(200), tokensPerSecond: 50 });
    const stream = await startChatStream(input({}, { abortSignal: AbortSignal.timeout(150) }));
    const error = await rejection(collect(stream));
    expect(error.code).toBe('upstream_timeout');
  });

  it('cancels the upstream stream when the consumer stops reading', async () => {
    server.enqueue({ text: 'word '.repeat(200), tokensPerSecond: 50 });
    const stream = await startChatStream(input());
    const before = server.abortedStreams;
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
    await waitFor(() => server.abortedStreams === before + 1);
    expect((await rejection(stream.outcome)).code).toBe('request_timeout');
  });

  it('lets a guard rewrite a code block while the text around it streams through', async () => {
    const secretRemover: Guard = {
      name: 'secret-remover',
      checkCodeBlock(block) {
        if (!block.content.includes('sk-live-')) return { action: 'pass' };
        return {
          action: 'rewrite',
          content: block.content.replace(/sk-live-\w+/g, 'process.env.API_KEY'),
          findings: [{ severity: 'error', message: 'hard-coded secret (CWE-798)' }],
        };
      },
    };
    const text =
      'Use this:\n```js path=client.js\nconst key = "sk-live-abc123";\nfetch(url, { key });\n```\nThat is all.';
    server.enqueue({ text, tokensPerChunk: 1, tokensPerSecond: 100 });
    const stream = await startChatStream(input({ mode: 'code' }, { guards: [secretRemover] }));
    const chunks = await collect(stream);
    const expected =
      'Use this:\n```js path=client.js\nconst key = "process.env.API_KEY";\nfetch(url, { key });\n```\nThat is all.';
    expect(contentOf(chunks)).toBe(expected);
    // Text before the block came in several chunks; the block itself came as one released chunk.
    const contents = chunks
      .map((chunk) => chunk.choices[0]?.delta.content)
      .filter((content): content is string => !!content);
    expect(contents).toContain(
      '```js path=client.js\nconst key = "process.env.API_KEY";\nfetch(url, { key });\n```\n',
    );
    expect(contents.indexOf('Use ')).toBe(0);
    expect(chunks.at(-1)?.plumb?.guards).toEqual([
      {
        guard: 'secret-remover',
        action: 'rewrite',
        findings: [{ severity: 'error', message: 'hard-coded secret (CWE-798)' }],
      },
    ]);
    const outcome = await stream.outcome;
    expect(outcome.message.content).toBe(expected);
    expect(outcome.message.code_blocks?.[0]?.content).toContain('process.env.API_KEY');
  });
});
