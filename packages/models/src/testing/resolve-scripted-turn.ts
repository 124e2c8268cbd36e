import type { ScriptedToolCall, ScriptedTurn } from './scripted-model-server.ts';

export type ScriptedFinishReason = NonNullable<ScriptedTurn['finishReason']>;

/** A scripted turn with its defaults applied: what the server actually answers. */
export interface ResolvedScriptedTurn {
  text: string;
  toolCalls: Required<ScriptedToolCall>[];
  finishReason: ScriptedFinishReason;
}

/**
 * Applies the defaults of a scripted turn: text `'OK'` (or `''` next to tool calls), generated tool call ids,
 * finish reason `tool_calls` when there are tool calls and `stop` otherwise.
 *
 * @example
 * resolveScriptedTurn({ toolCalls: [{ name: 'read', arguments: '{}' }] }, () => 'call_1');
 * // { text: '', toolCalls: [{ id: 'call_1', name: 'read', arguments: '{}' }], finishReason: 'tool_calls' }
 */
export function resolveScriptedTurn(
  turn: ScriptedTurn,
  createToolCallId: () => string,
): ResolvedScriptedTurn {
  const toolCalls = (turn.toolCalls ?? []).map((toolCall) => ({
    id: toolCall.id ?? createToolCallId(),
    name: toolCall.name,
    arguments: toolCall.arguments,
  }));
  const hasToolCalls = toolCalls.length > 0;
  return {
    text: turn.text ?? (hasToolCalls ? '' : 'OK'),
    toolCalls,
    finishReason: turn.finishReason ?? (hasToolCalls ? 'tool_calls' : 'stop'),
  };
}
