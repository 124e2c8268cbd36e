import type { ResolvedScriptedTurn } from './resolve-scripted-turn.ts';
import type { ScriptedTurn } from './scripted-model-server.ts';
import { splitIntoTokens } from './split-into-tokens.ts';

/** Token usage in the OpenAI shape. */
export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * Usage of one scripted answer: the turn's own `usage` when scripted, otherwise counted with
 * `splitIntoTokens` (prompt: the text of every message; completion: the text plus tool call arguments).
 *
 * @example
 * computeScriptedUsage({
 *   turn: {},
 *   resolvedTurn: { text: 'Hi there', toolCalls: [], finishReason: 'stop' },
 *   requestBody: { messages: [{ role: 'user', content: 'Say hi' }] },
 * }); // { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 }
 */
export function computeScriptedUsage(options: {
  turn: ScriptedTurn;
  resolvedTurn: ResolvedScriptedTurn;
  requestBody: unknown;
}): ScriptedUsage {
  const { turn, resolvedTurn, requestBody } = options;
  if (turn.usage) {
    const { prompt_tokens, completion_tokens } = turn.usage;
    return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
  }
  let completionTokens = splitIntoTokens(resolvedTurn.text).length;
  for (const toolCall of resolvedTurn.toolCalls)
    completionTokens += splitIntoTokens(toolCall.arguments).length;
  const promptTokens = countPromptTokens(requestBody);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

function countPromptTokens(requestBody: unknown): number {
  const messages = (requestBody as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return 0;
  let count = 0;
  for (const message of messages as unknown[]) {
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof content === 'string') {
      count += splitIntoTokens(content).length;
    } else if (Array.isArray(content)) {
      // Multi-part content: only text parts carry tokens we can count.
      for (const part of content as unknown[]) {
        const text = (part as { type?: unknown; text?: unknown } | null)?.text;
        if (typeof text === 'string') count += splitIntoTokens(text).length;
      }
    }
  }
  return count;
}
