import { describe, expect, it } from 'vitest';
import { toCallOptions } from './to-call-options.ts';

describe('toCallOptions', () => {
  it('maps OpenAI parameters onto the model call options', () => {
    const abortSignal = new AbortController().signal;
    const { callOptions, warnings } = toCallOptions({
      prompt: [],
      abortSignal,
      headers: { 'x-trace': '1' },
      request: {
        model: 'local/m',
        mode: 'chat',
        messages: [],
        max_tokens: 50,
        max_completion_tokens: 100,
        temperature: 0.2,
        top_p: 0.9,
        stop: 'END',
        seed: 7,
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        tools: [
          {
            type: 'function',
            function: {
              name: 'search',
              description: 'Web search',
              parameters: { type: 'object' },
              strict: true,
            },
          },
          { type: 'function', function: { name: 'now' } },
        ],
        tool_choice: { type: 'function', function: { name: 'search' } },
        parallel_tool_calls: false,
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } },
      },
    });
    expect(callOptions).toEqual({
      prompt: [],
      maxOutputTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      tools: [
        {
          type: 'function',
          name: 'search',
          description: 'Web search',
          inputSchema: { type: 'object' },
          strict: true,
        },
        { type: 'function', name: 'now', inputSchema: { type: 'object', properties: {} } },
      ],
      toolChoice: { type: 'tool', toolName: 'search' },
      responseFormat: { type: 'json', name: 'answer', schema: { type: 'object' } },
      abortSignal,
      headers: { 'x-trace': '1' },
    });
    expect(warnings).toEqual([expect.stringContaining('parallel_tool_calls')]);
  });

  it('leaves unset parameters out and maps json_object and string tool choices', () => {
    const { callOptions } = toCallOptions({
      prompt: [],
      request: {
        model: 'm/x',
        mode: 'chat',
        messages: [],
        temperature: null,
        tool_choice: 'required',
        response_format: { type: 'json_object' },
      },
    });
    expect(callOptions).toEqual({
      prompt: [],
      toolChoice: { type: 'required' },
      responseFormat: { type: 'json' },
    });
  });
});
