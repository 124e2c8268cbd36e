import { PlumbError, type ChatMessage } from '@plumb/protocol';
import { describe, expect, it } from 'vitest';
import { toLanguageModelPrompt } from './to-language-model-prompt.ts';

describe('toLanguageModelPrompt', () => {
  it('turns system and developer messages into system messages', () => {
    const { prompt, warnings } = toLanguageModelPrompt([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'developer',
        content: [
          { type: 'text', text: 'Use TypeScript.' },
          { type: 'text', text: 'No any.' },
        ],
      },
      { role: 'user', content: 'Hi' },
    ]);
    expect(prompt).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Use TypeScript.\nNo any.' },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
    expect(warnings).toEqual([]);
  });

  it('turns images into file parts: data URLs as base64, http URLs by reference', () => {
    const { prompt } = toLanguageModelPrompt([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
        ],
      },
    ]);
    expect(prompt[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'file', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
        {
          type: 'file',
          mediaType: 'image/*',
          data: new URL('https://example.com/cat.jpg'),
          providerOptions: { openai: { imageDetail: 'low' } },
        },
      ],
    });
  });

  it('rejects an image URL that is neither http nor data', () => {
    const call = () =>
      toLanguageModelPrompt([
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] },
      ]);
    expect(call).toThrow(PlumbError);
    expect(call).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'messages.0.content.0.image_url.url' }),
    );
  });

  it('turns audio and inline files into file parts, and drops file_id references with a warning', () => {
    const { prompt, warnings } = toLanguageModelPrompt([
      {
        role: 'user',
        content: [
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'spec.pdf' } },
          { type: 'file', file: { file_id: 'file-abc' } },
        ],
      },
    ]);
    expect(prompt[0]?.content).toEqual([
      { type: 'file', mediaType: 'audio/wav', data: 'UklGRg==' },
      { type: 'file', mediaType: 'application/pdf', data: 'JVBERi0=', filename: 'spec.pdf' },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/messages\.0\.content\.2 was dropped.*file_id/);
  });

  it('decodes percent-encoded data URLs into base64', () => {
    const { prompt } = toLanguageModelPrompt([
      { role: 'user', content: [{ type: 'file', file: { file_data: 'data:text/plain,hello%20world' } }] },
    ]);
    expect(prompt[0]?.content).toEqual([
      { type: 'file', mediaType: 'text/plain', data: Buffer.from('hello world').toString('base64') },
    ]);
  });

  it('pairs tool calls and tool results, merging consecutive results into one tool message', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:00' }] },
    ];
    const { prompt } = toLanguageModelPrompt(messages);
    expect(prompt.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool-call', toolCallId: 'call_2', toolName: 'get_time', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_1',
            toolName: 'get_weather',
            output: { type: 'text', value: 'sunny' },
          },
          {
            type: 'tool-result',
            toolCallId: 'call_2',
            toolName: 'get_time',
            output: { type: 'text', value: '12:00' },
          },
        ],
      },
    ]);
  });

  it('keeps assistant text beside tool calls, and refusals as text', () => {
    const { prompt } = toLanguageModelPrompt([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Sure.' },
          { type: 'refusal', refusal: 'Not that.' },
        ],
      },
      { role: 'assistant', content: null, refusal: 'I cannot help.' },
    ]);
    expect(prompt).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Sure.' },
          { type: 'text', text: 'Not that.' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'I cannot help.' }] },
    ]);
  });

  it('rejects tool call arguments that are not JSON, naming the parameter', () => {
    const call = () =>
      toLanguageModelPrompt([
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'g', arguments: '{oops' } },
          ],
        },
      ]);
    expect(call).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        param: 'messages.1.tool_calls.1.function.arguments',
      }),
    );
  });

  it('rejects a tool result for an unknown tool call id', () => {
    const call = () =>
      toLanguageModelPrompt([
        { role: 'user', content: 'x' },
        { role: 'tool', tool_call_id: 'call_missing', content: 'result' },
      ]);
    expect(call).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'messages.1.tool_call_id' }),
    );
  });

  it('warns that per-message names are not forwarded', () => {
    const { warnings } = toLanguageModelPrompt([{ role: 'user', content: 'x', name: 'alice' }]);
    expect(warnings).toEqual([expect.stringContaining('messages.0.name')]);
  });
});
