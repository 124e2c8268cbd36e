import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { ToolCall, ToolCallDelta } from '@plumb/protocol';

type ToolStreamPart = Extract<
  LanguageModelV3StreamPart,
  { type: 'tool-input-start' | 'tool-input-delta' | 'tool-call' }
>;

export interface ToolCallDeltaTracker {
  /** Turns one tool stream part into the OpenAI tool call delta to send, or null when there is nothing to send. */
  accept(part: ToolStreamPart): ToolCallDelta | null;
  /** The tool calls as the client assembled them from the deltas. */
  toolCalls(): ToolCall[];
}

/**
 * Translates the AI SDK's tool stream parts into OpenAI's tool call deltas: `tool-input-start` becomes the
 * first delta of a call (`{ index, id, type, function: { name, arguments: '' } }`), each `tool-input-delta`
 * an argument fragment (`{ index, function: { arguments } }`). A final `tool-call` without streamed input
 * (some providers send only that) becomes one complete delta; after streamed input it only sends what the
 * fragments lacked (Anthropic sends no fragments for a call without arguments, then `{}`). Calls the
 * provider executes itself are not the client's to run and are left out.
 *
 * @example
 * const tracker = createToolCallDeltaTracker();
 * tracker.accept({ type: 'tool-input-start', id: 'call_1', toolName: 'search' });
 * // { index: 0, id: 'call_1', type: 'function', function: { name: 'search', arguments: '' } }
 */
export function createToolCallDeltaTracker(): ToolCallDeltaTracker {
  const calls: Array<{ index: number; id: string; name: string; arguments: string }> = [];
  const byId = new Map<string, (typeof calls)[number]>();

  function start(id: string, name: string, input: string): ToolCallDelta {
    const call = { index: calls.length, id, name, arguments: input };
    calls.push(call);
    byId.set(id, call);
    return { index: call.index, id, type: 'function', function: { name, arguments: input } };
  }

  function accept(part: ToolStreamPart): ToolCallDelta | null {
    if ('providerExecuted' in part && part.providerExecuted) return null;
    switch (part.type) {
      case 'tool-input-start':
        return byId.has(part.id) ? null : start(part.id, part.toolName, '');
      case 'tool-input-delta': {
        const call = byId.get(part.id);
        if (!call || part.delta === '') return null;
        call.arguments += part.delta;
        return { index: call.index, function: { arguments: part.delta } };
      }
      case 'tool-call': {
        const call = byId.get(part.toolCallId);
        if (!call) return start(part.toolCallId, part.toolName, part.input);
        if (part.input.length > call.arguments.length && part.input.startsWith(call.arguments)) {
          const rest = part.input.slice(call.arguments.length);
          call.arguments = part.input;
          return { index: call.index, function: { arguments: rest } };
        }
        return null;
      }
    }
  }

  function toolCalls(): ToolCall[] {
    return calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }

  return { accept, toolCalls };
}
