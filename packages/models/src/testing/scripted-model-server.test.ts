import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  splitIntoTokens,
  startScriptedModelServer,
  type ScriptedModelServer,
} from './scripted-model-server.ts';

let server: ScriptedModelServer;
let openai: OpenAI;

beforeAll(async () => {
  server = await startScriptedModelServer();
  // Retries would consume extra scripted turns and hide the error under test.
  openai = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

const userMessage = (content: string) => [{ role: 'user' as const, content }];

/** Reads a raw SSE response body into its `data:` payloads. */
async function readEvents(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return event.slice('data: '.length);
    });
}

function postChatCompletion(body: unknown): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('startScriptedModelServer', () => {
  it('answers a non-streaming completion in the exact OpenAI shape', async () => {
    server.enqueue({ text: 'Hello there, friend' });
    const response = await postChatCompletion({ model: 'my-model', messages: userMessage('Say hi to me') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const completion: unknown = await response.json();
    expect(completion).toEqual({
      id: expect.stringMatching(/^chatcmpl-/) as unknown,
      object: 'chat.completion',
      created: expect.any(Number) as unknown,
      model: 'my-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello there, friend', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 },
    });
  });

  it('serves the OpenAI SDK with scripted text, finish reason and usage', async () => {
    server.enqueue({
      text: 'Cut short',
      finishReason: 'length',
      usage: { prompt_tokens: 11, completion_tokens: 7 },
    });
    const completion = await openai.chat.completions.create({
      model: 'scripted-model',
      messages: userMessage('Hi'),
    });
    expect(completion.choices[0]?.message.content).toBe('Cut short');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
  });

  it('streams text that reassembles exactly, one chunk per tokensPerChunk tokens', async () => {
    const text = '  Leading spaces,\nnew lines\n\n and ünïcödé 🙂 emoji.\t';
    server.enqueue({ text, tokensPerChunk: 2 });
    const stream = await openai.chat.completions.create({
      model: 'scripted-model',
      messages: userMessage('Stream please'),
      stream: true,
    });
    const deltas: string[] = [];
    let finishReason: string | null = null;
    let role: string | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      const choice = chunk.choices[0];
      role ??= choice?.delta.role;
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finishReason = choice.finish_reason;
    }
    expect(role).toBe('assistant');
    expect(deltas.join('')).toBe(text);
    expect(deltas).toHaveLength(Math.ceil(splitIntoTokens(text).length / 2));
    expect(finishReason).toBe('stop');
  });

  it('sends the OpenAI event sequence over SSE, ending with [DONE]', async () => {
    server.enqueue({ text: 'One two' });
    const response = await postChatCompletion({ model: 'm', messages: userMessage('x'), stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = await readEvents(response);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as OpenAI.ChatCompletionChunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'One ' },
      { content: 'two' },
      {},
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([null, null, null, 'stop']);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.model === 'm' && !('usage' in chunk))).toBe(true);
  });

  it('returns scripted tool calls without streaming', async () => {
    server.enqueue({
      toolCalls: [
        { id: 'call_fixed', name: 'read_file', arguments: '{"path":"src/index.ts"}' },
        { name: 'list_files', arguments: '{"directory": "src", "recursive": true}' },
      ],
    });
    const completion = await openai.chat.completions.create({
      model: 'scripted-model',
      messages: userMessage('Look around'),
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const toolCalls = choice?.message.tool_calls ?? [];
    expect(toolCalls).toHaveLength(2);
    expect(toolCalls[0]).toEqual({
      id: 'call_fixed',
      type: 'function',
      function: { name: 'read_file', arguments: '{"path":"src/index.ts"}' },
    });
    expect(toolCalls[1]?.id).toMatch(/^call_/);
    expect(toolCalls[1]?.type === 'function' && toolCalls[1].function.arguments).toBe(
      '{"directory": "src", "recursive": true}',
    );
    // Completion tokens: 1 for the first call's arguments (no spaces) + 4 for the second's.
    expect(completion.usage?.completion_tokens).toBe(5);
  });

  it('streams tool calls in fragments that reassemble to the scripted arguments', async () => {
    const firstArguments = '{"path":"src/ünïcödé-🙂.ts","limit":100}';
    const secondArguments = '{"query": "where is the config loaded"}';
    server.enqueue({
      text: 'Let me check.',
      toolCalls: [
        { id: 'call_a', name: 'read_file', arguments: firstArguments },
        { id: 'call_b', name: 'search', arguments: secondArguments },
      ],
    });
    const stream = await openai.chat.completions.create({
      model: 'scripted-model',
      messages: userMessage('Find it'),
      stream: true,
    });
    let content = '';
    const calls = new Map<number, { id?: string; name?: string; arguments: string; fragments: number }>();
    let finishReason: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      content += choice?.delta.content ?? '';
      for (const toolCall of choice?.delta.tool_calls ?? []) {
        const call = calls.get(toolCall.index) ?? { arguments: '', fragments: 0 };
        if (toolCall.id) call.id = toolCall.id;
        if (toolCall.function?.name) call.name = toolCall.function.name;
        if (toolCall.function?.arguments) {
          call.arguments += toolCall.function.arguments;
          call.fragments += 1;
        }
        calls.set(toolCall.index, call);
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
    }
    expect(content).toBe('Let me check.');
    expect(calls.get(0)).toMatchObject({ id: 'call_a', name: 'read_file', arguments: firstArguments });
    expect(calls.get(1)).toMatchObject({ id: 'call_b', name: 'search', arguments: secondArguments });
    expect(calls.get(0)?.fragments).toBeGreaterThan(1);
    expect(finishReason).toBe('tool_calls');
  });

  it('streams tool calls that the SDK helper reassembles', async () => {
    server.enqueue({ toolCalls: [{ id: 'call_x', name: 'run', arguments: '{"command":"npm test"}' }] });
    const runner = openai.chat.completions.stream({ model: 'scripted-model', messages: userMessage('Run') });
    const completion = await runner.finalChatCompletion();
    const toolCall = completion.choices[0]?.message.tool_calls?.[0];
    expect(toolCall).toMatchObject({
      id: 'call_x',
      type: 'function',
      function: { name: 'run', arguments: '{"command":"npm test"}' },
    });
  });

  it('adds a usage chunk with empty choices when stream_options.include_usage is set', async () => {
    server.enqueue({ text: 'Three small words' });
    const stream = await openai.chat.completions.create({
      model: 'scripted-model',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Count these four' }] },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('surfaces an HTTP error turn as the matching OpenAI SDK error', async () => {
    server.enqueue(
      { error: { status: 429, message: 'Rate limit reached.', code: 'rate_limit_exceeded' } },
      { error: { status: 400, message: 'Bad messages.', type: 'invalid_request_error' } },
    );
    const rateLimited = await openai.chat.completions
      .create({ model: 'scripted-model', messages: userMessage('Hi') })
      .catch((error: unknown) => error);
    expect(rateLimited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(rateLimited).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect((rateLimited as Error).message).toContain('Rate limit reached.');

    const badRequest = await openai.chat.completions
      .create({ model: 'scripted-model', messages: userMessage('Hi'), stream: true })
      .catch((error: unknown) => error);
    expect(badRequest).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badRequest).toMatchObject({ status: 400, type: 'invalid_request_error' });
  });

  it('fails a stream midway with an error event and no [DONE]', async () => {
    const turn = {
      text: 'alpha beta gamma delta',
      errorAfterChunks: 2,
      error: { status: 500, message: 'Upstream overloaded.', type: 'server_error' },
    };
    server.enqueue(turn, turn);
    const stream = await openai.chat.completions.create({
      model: 'scripted-model',
      messages: userMessage('Go'),
      stream: true,
    });
    let content = '';
    const failure = await (async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(content).toBe('alpha beta ');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toContain('Upstream overloaded.');

    const events = await readEvents(await postChatCompletion({ model: 'm', messages: [], stream: true }));
    expect(events).not.toContain('[DONE]');
    expect(JSON.parse(events.at(-1) ?? '')).toEqual({
      error: { message: 'Upstream overloaded.', type: 'server_error', param: null, code: null },
    });
  });

  it('lists the configured models', async () => {
    const listed = await openai.models.list();
    expect(listed.data).toEqual([
      { id: 'scripted-model', object: 'model', created: expect.any(Number) as unknown, owned_by: 'scripted' },
    ]);
    const custom = await startScriptedModelServer({ models: ['a', 'b'] });
    try {
      const body = (await (await fetch(`${custom.url}/models`)).json()) as {
        object: string;
        data: { id: string }[];
      };
      expect(body.object).toBe('list');
      expect(body.data.map((model) => model.id)).toEqual(['a', 'b']);
    } finally {
      await custom.close();
    }
  });

  it('answers unknown paths with 404 and invalid JSON with 400, in the OpenAI error shape', async () => {
    const notFound = await fetch(`${server.url}/embeddings`, { method: 'POST', body: '{}' });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'unknown_url' },
    });

    const invalid = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{"model":' });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { message: string; type: string; param: null } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/not valid JSON/);
    expect(server.requests.map((request) => request.body)).toEqual([{}, '{"model":']);
  });

  it('consumes turns in order, then falls back to the default turn function', async () => {
    const custom = await startScriptedModelServer({
      turns: [{ text: 'first' }, { text: 'second' }],
      defaultTurn: (request) => {
        const body = request.body as { messages: { content: string }[] };
        return { text: `echo: ${body.messages[0]?.content ?? ''}` };
      },
    });
    const client = new OpenAI({ baseURL: custom.url, apiKey: 'test-key', maxRetries: 0 });
    try {
      const answers: (string | null | undefined)[] = [];
      for (const prompt of ['a', 'b', 'c', 'd']) {
        const completion = await client.chat.completions.create({
          model: 'm',
          messages: userMessage(prompt),
        });
        answers.push(completion.choices[0]?.message.content);
      }
      expect(answers).toEqual(['first', 'second', 'echo: c', 'echo: d']);
      custom.enqueue({ text: 'queued later' });
      const completion = await client.chat.completions.create({ model: 'm', messages: userMessage('e') });
      expect(completion.choices[0]?.message.content).toBe('queued later');
    } finally {
      await custom.close();
    }
  });

  it('answers "OK" by default and reset() clears the queue', async () => {
    server.enqueue({ text: 'never used' });
    server.reset();
    const completion = await openai.chat.completions.create({ model: 'm', messages: userMessage('Hi') });
    expect(completion.choices[0]?.message.content).toBe('OK');
  });

  it('records requests with method, path, headers and parsed body', async () => {
    await openai.chat.completions.create({ model: 'recorded-model', messages: userMessage('Remember me') });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer test-key');
    expect(request?.body).toEqual({ model: 'recorded-model', messages: userMessage('Remember me') });
  });

  it('records nothing when recordRequests is false', async () => {
    const custom = await startScriptedModelServer({ recordRequests: false });
    try {
      const response = await fetch(`${custom.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', messages: [] }),
      });
      expect(response.status).toBe(200);
      expect(custom.requests).toEqual([]);
    } finally {
      await custom.close();
    }
  });

  it('counts a stream whose client disconnects before the end', async () => {
    server.enqueue({ text: 'word '.repeat(200), tokensPerSecond: 50 });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [], stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    controller.abort();
    const deadline = Date.now() + 2_000;
    while (server.abortedStreams === 0 && Date.now() < deadline) await sleep(10);
    expect(server.abortedStreams).toBe(1);

    // A stream that finishes normally is not counted.
    server.enqueue({ text: 'short' });
    await (await postChatCompletion({ model: 'm', messages: [], stream: true })).text();
    await sleep(20);
    expect(server.abortedStreams).toBe(1);
  });

  it('counts a stream whose client gives up during latencyMs', async () => {
    const abortedBefore = server.abortedStreams;
    server.enqueue({ text: 'too late', latencyMs: 2_000 });
    const request = fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [], stream: true }),
      signal: AbortSignal.timeout(100),
    });
    await expect(request).rejects.toThrow();
    const deadline = Date.now() + 2_000;
    while (server.abortedStreams === abortedBefore && Date.now() < deadline) await sleep(10);
    expect(server.abortedStreams).toBe(abortedBefore + 1);
  });

  it('waits latencyMs before answering and paces tokensPerSecond', async () => {
    server.enqueue({ text: 'fast', latencyMs: 150 });
    let startedAt = performance.now();
    await openai.chat.completions.create({ model: 'm', messages: userMessage('Hi') });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140);

    // 20 tokens at 100 tokens per second take about 200 ms; at an unlimited rate they take a few.
    server.enqueue({ text: 'token '.repeat(20), tokensPerSecond: 100 });
    startedAt = performance.now();
    const events = await readEvents(await postChatCompletion({ model: 'm', messages: [], stream: true }));
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(180);
    expect(events.filter((event) => event.includes('"content":"token "'))).toHaveLength(20);
  });

  it('reaches high token rates by batching events', async () => {
    server.enqueue({ text: 'token '.repeat(2_000), tokensPerSecond: 100_000 });
    const startedAt = performance.now();
    const events = await readEvents(await postChatCompletion({ model: 'm', messages: [], stream: true }));
    expect(events.filter((event) => event.includes('"content":"token "'))).toHaveLength(2_000);
    // 2,000 tokens at 100,000 per second is 20 ms of pacing; one timer per token would take seconds.
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });

  it('hangs up without answering when the turn says so', async () => {
    const abortedBefore = server.abortedStreams;
    server.enqueue({ hangUp: true });
    await expect(postChatCompletion({ model: 'm', messages: [], stream: true })).rejects.toThrow();
    expect(server.abortedStreams).toBe(abortedBefore);
    const completion = await openai.chat.completions.create({ model: 'm', messages: userMessage('again') });
    expect(completion.choices[0]?.message.content).toBe('OK');
  });
});

describe('splitIntoTokens', () => {
  it.each([
    ['Hello, world', ['Hello, ', 'world']],
    ['  leading and trailing  ', ['  leading ', 'and ', 'trailing  ']],
    ['line one\nline two\n\n', ['line ', 'one\n', 'line ', 'two\n\n']],
    ['\n\ttabbed', ['\n\ttabbed']],
    ['ünïcödé 🙂 日本語テキスト', ['ünïcödé ', '🙂 ', '日本語テキスト']],
    ['   ', ['   ']],
    ['', []],
  ])('splits %j into words with their trailing whitespace', (text, expected) => {
    const tokens = splitIntoTokens(text);
    expect(tokens).toEqual(expected);
    expect(tokens.join('')).toBe(text);
  });
});

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
