import { createServer } from 'node:net';
import {
  chatCompletionSchema,
  PlumbError,
  type ChatCompletionRequest,
  type ChatMessage,
} from '@plumb/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeSystemPrompt } from './code-system-prompt.ts';
import { completeChat } from './complete-chat.ts';
import type { Guard } from './guard.ts';
import { createProviderRegistry } from './provider-registry.ts';
import { startScriptedModelServer, type ScriptedModelServer } from './testing/index.ts';

let server: ScriptedModelServer;
let registry: ReturnType<typeof createProviderRegistry>;
const modelName = 'local/qwen/coder';

beforeAll(async () => {
  server = await startScriptedModelServer();
  registry = createProviderRegistry([
    { name: 'local', type: 'openai-compatible', baseUrl: server.url, models: ['qwen/coder'] },
  ]);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function input(
  request: Partial<ChatCompletionRequest> & { messages: ChatMessage[] },
  extra: { guards?: Guard[] } = {},
) {
  const fullRequest: ChatCompletionRequest = { model: modelName, mode: 'chat', ...request };
  return {
    model: registry.resolveModel(modelName).model,
    modelName,
    request: fullRequest,
    messages: fullRequest.messages,
    ...extra,
  };
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

/** A port that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('completeChat', () => {
  it('answers with text, code blocks, usage and the plumb extension', async () => {
    const text =
      'Here it is:\n\n```ts path=src/add.ts\nexport const add = (a: number, b: number) => a + b;\n```\n';
    server.enqueue({ text, usage: { prompt_tokens: 21, completion_tokens: 13 } });
    const { completion, outcome } = await completeChat({
      ...input({ messages: [{ role: 'user', content: 'Write add.' }] }),
      sessionId: 'sess_12345678',
    });
    expect(chatCompletionSchema.parse(completion)).toEqual(completion);
    expect(completion.id).toMatch(/^chatcmpl-[A-Za-z0-9]{24}$/);
    expect(completion.model).toBe(modelName);
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(5);
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: text,
        refusal: null,
        code_blocks: [
          {
            language: 'ts',
            path: 'src/add.ts',
            content: 'export const add = (a: number, b: number) => a + b;\n',
          },
        ],
      },
      finish_reason: 'stop',
      logprobs: null,
    });
    expect(completion.usage).toEqual({ prompt_tokens: 21, completion_tokens: 13, total_tokens: 34 });
    expect(completion.plumb).toEqual({
      mode: 'chat',
      prompt_version: null,
      session_id: 'sess_12345678',
      guards: [],
      warnings: [],
    });
    expect(outcome.message).toEqual(completion.choices[0]?.message);
    // The upstream got the model id without the provider prefix, and no code prompt in chat mode.
    const body = server.requests[0]?.body as { model: string; messages: unknown[] };
    expect(body.model).toBe('qwen/coder');
    expect(body.messages).toEqual([{ role: 'user', content: 'Write add.' }]);
  });

  it('omits code_blocks when the answer has none', async () => {
    server.enqueue({ text: 'No code today.' });
    const { completion } = await completeChat(input({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'No code today.',
      refusal: null,
    });
  });

  it('sends the code prompt first in code mode, then the full history, and forwards parameters', async () => {
    const history: ChatMessage[] = [
      { role: 'system', content: 'Project uses Node 20.' },
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: 'Second question' },
    ];
    server.enqueue({ text: 'ok' });
    const { completion } = await completeChat(
      input({ mode: 'code', messages: history, temperature: 0.1, max_tokens: 64, stop: ['END'], seed: 3 }),
    );
    expect(completion.plumb.prompt_version).toBe(codeSystemPrompt.version);
    expect(completion.plumb.mode).toBe('code');
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.messages).toEqual([{ role: 'system', content: codeSystemPrompt.text }, ...history]);
    expect(body).toMatchObject({ temperature: 0.1, max_tokens: 64, stop: ['END'], seed: 3 });
  });

  it('returns tool calls with content null and finish_reason tool_calls, and forwards tools', async () => {
    server.enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const tools: ChatCompletionRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const { completion, outcome } = await completeChat(
      input({ messages: [{ role: 'user', content: 'Weather?' }], tools, tool_choice: 'auto' }),
    );
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    });
    expect(outcome.finishReason).toBe('tool_calls');
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', parameters: tools[0]?.function.parameters } },
    ]);
    expect(body.tool_choice).toBe('auto');
  });

  it('sends a tool round trip upstream in OpenAI form', async () => {
    server.enqueue({ text: 'It is sunny.' });
    await completeChat(
      input({
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{"c":1}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        ],
      }),
    );
    const body = server.requests[0]?.body as { messages: unknown[] };
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{"c":1}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    ]);
  });

  it.each([
    [500, 'upstream_error', 502],
    [503, 'upstream_unavailable', 503],
    [404, 'model_not_found', 404],
    [400, 'invalid_request', 400],
    [401, 'upstream_error', 502],
    [429, 'rate_limited', 429],
  ] as const)('maps an upstream HTTP %i to %s', async (status, code, plumbStatus) => {
    server.enqueue({ error: { status, message: `scripted failure ${status}` } });
    const error = await rejection(completeChat(input({ messages: [{ role: 'user', content: 'Hi' }] })));
    expect(error.code).toBe(code);
    expect(error.status).toBe(plumbStatus);
    expect(error.message).toContain(`scripted failure ${status}`);
    expect(error.message).toContain(modelName);
  });

  it('maps a refused connection to upstream_unavailable naming the host', async () => {
    const port = await closedPort();
    const offline = createProviderRegistry([
      { name: 'down', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1` },
    ]);
    const error = await rejection(
      completeChat({
        model: offline.resolveModel('down/m').model,
        modelName: 'down/m',
        request: { model: 'down/m', mode: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('maps an upstream that hangs up to upstream_unavailable', async () => {
    server.enqueue({ hangUp: true });
    expect((await rejection(completeChat(input({ messages: [{ role: 'user', content: 'Hi' }] })))).code).toBe(
      'upstream_unavailable',
    );
  });

  it('maps a timeout signal to upstream_timeout', async () => {
    server.enqueue({ latencyMs: 2_000 });
    const error = await rejection(
      completeChat({
        ...input({ messages: [{ role: 'user', content: 'Hi' }] }),
        abortSignal: AbortSignal.timeout(100),
      }),
    );
    expect(error.code).toBe('upstream_timeout');
  });

  it('runs guards in code mode only', async () => {
    const upperCaser: Guard = {
      name: 'upper',
      checkCodeBlock: (block) => ({
        action: 'rewrite',
        content: block.content.toUpperCase(),
        findings: [{ severity: 'info', message: 'shouted' }],
      }),
    };
    const text = 'x\n```sh\necho hi\n```\n';
    server.enqueue({ text }, { text });
    const code = await completeChat(
      input({ mode: 'code', messages: [{ role: 'user', content: 'Hi' }] }, { guards: [upperCaser] }),
    );
    expect(code.completion.choices[0]?.message.content).toBe('x\n```sh\nECHO HI\n```\n');
    expect(code.completion.choices[0]?.message.code_blocks).toEqual([
      { language: 'sh', path: null, content: 'ECHO HI\n' },
    ]);
    expect(code.completion.plumb.guards).toEqual([
      { guard: 'upper', action: 'rewrite', findings: [{ severity: 'info', message: 'shouted' }] },
    ]);
    const chat = await completeChat(
      input({ mode: 'chat', messages: [{ role: 'user', content: 'Hi' }] }, { guards: [upperCaser] }),
    );
    expect(chat.completion.choices[0]?.message.content).toBe(text);
    expect(chat.completion.plumb.guards).toEqual([]);
  });
});
