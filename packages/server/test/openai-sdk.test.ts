import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server.ts';

// The official OpenAI SDK pointed at Plumb: the compatibility promise users rely on.
describe('official openai SDK against /v3', () => {
  let server: TestServer;
  let client: OpenAI;

  beforeAll(async () => {
    server = await startTestServer();
    client = new OpenAI({ baseURL: `${server.plumb.url}/v3`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => server.close());

  it('gets a completion in code mode, with code blocks extracted', async () => {
    const text =
      'Here it is:\n\n```ts path=src/add.ts\nexport const add = (a: number, b: number) => a + b;\n```\n';
    server.scripted.enqueue({ text });
    const completion = await client.chat.completions.create(
      withMode({
        model: server.model,
        messages: [{ role: 'user', content: 'write add' }],
      }),
    );
    expect(completion.choices[0]?.message.content).toBe(text);
    expect(completion.model).toBe(server.model);
    const extended = completion.choices[0]?.message as unknown as { code_blocks: unknown[] };
    expect(extended.code_blocks).toEqual([
      {
        language: 'ts',
        path: 'src/add.ts',
        content: 'export const add = (a: number, b: number) => a + b;\n',
      },
    ]);
    const upstream = server.scripted.requests.at(-1)?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(upstream.messages[0]?.role).toBe('system');
    expect(JSON.stringify(upstream.messages[0]?.content)).toContain('code');
    expect(upstream.messages.at(-1)).toMatchObject({ role: 'user' });
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams, and the reassembled text equals the scripted text', async () => {
    const text = 'Streaming works:\n- one\n- two ✓ ünïcode 🚀\n';
    // Paced, so the tokens arrive in separate reads: Plumb merges content deltas that arrive together.
    server.scripted.enqueue({ text, tokensPerChunk: 1, tokensPerSecond: 100 });
    const stream = await client.chat.completions.create(
      withMode({
        model: server.model,
        messages: [{ role: 'user', content: 'stream please' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    let reassembled = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      reassembled += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(reassembled).toBe(text);
    expect(chunks).toBeGreaterThan(5);
    expect(finishReason).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('relays tool calls, streamed and not', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'read_file',
          description: 'Read a file',
          parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
        },
      },
    ];
    const toolCall = { id: 'call_1', name: 'read_file', arguments: '{"path":"src/index.ts"}' };
    server.scripted.enqueue({ toolCalls: [toolCall] });
    const completion = await client.chat.completions.create(
      withMode({
        model: server.model,
        messages: [{ role: 'user', content: 'open index' }],
        tools,
      }),
    );
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function : undefined).toEqual({
      name: 'read_file',
      arguments: '{"path":"src/index.ts"}',
    });
    const upstream = server.scripted.requests.at(-1)?.body as {
      tools: Array<{ function: { name: string } }>;
    };
    expect(upstream.tools[0]?.function.name).toBe('read_file');

    server.scripted.enqueue({ toolCalls: [toolCall] });
    const stream = client.chat.completions.stream(
      withMode({
        model: server.model,
        messages: [{ role: 'user', content: 'open index' }],
        tools,
      }),
    );
    const final = await stream.finalChatCompletion();
    const streamedCall = final.choices[0]?.message.tool_calls?.[0];
    expect(streamedCall?.type === 'function' ? streamedCall.function.arguments : undefined).toBe(
      '{"path":"src/index.ts"}',
    );

    // The tool result goes back upstream with the matching id.
    server.scripted.enqueue({ text: 'The file exports main.' });
    const followUp = await client.chat.completions.create(
      withMode({
        model: server.model,
        messages: [
          { role: 'user', content: 'open index' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'read_file', arguments: toolCall.arguments },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'export function main() {}' },
        ],
        tools,
      }),
    );
    expect(followUp.choices[0]?.message.content).toBe('The file exports main.');
    const sent = server.scripted.requests.at(-1)?.body as {
      messages: Array<{ role: string; tool_call_id?: string }>;
    };
    expect(sent.messages.find((message) => message.role === 'tool')?.tool_call_id).toBe('call_1');
  });

  it('raises typed errors', async () => {
    await expect(
      client.chat.completions.create(
        withMode({
          model: 'nobody/nothing',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found', constructor: OpenAI.NotFoundError });

    await expect(
      client.chat.completions.create({ model: server.model, messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'invalid_request',
      param: 'mode',
      constructor: OpenAI.BadRequestError,
    });

    server.scripted.enqueue({ error: { status: 500, message: 'the GPU caught fire' } });
    await expect(
      client.chat.completions.create(
        withMode({
          model: server.model,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    ).rejects.toMatchObject({ status: 502, code: 'upstream_error', constructor: OpenAI.InternalServerError });

    server.scripted.enqueue({ text: 'partial answer that breaks', errorAfterChunks: 2 });
    const stream = await client.chat.completions.create(
      withMode({
        model: server.model,
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    );
    await expect(async () => {
      for await (const _chunk of stream) {
        // drain until the mid-stream error surfaces
      }
    }).rejects.toBeInstanceOf(OpenAI.APIError);
  });
});

/**
 * Adds Plumb's required `mode` to an OpenAI request body. The OpenAI SDK sends unknown body fields as they
 * are; only its TypeScript types do not know `mode`.
 */
function withMode<TBody extends object>(body: TBody, mode: 'code' | 'chat' = 'code'): TBody {
  return { ...body, mode };
}
