import type { ScriptedUsage } from './compute-scripted-usage.ts';
import type { ResolvedScriptedTurn } from './resolve-scripted-turn.ts';

/** The parts of a completion that are the same for its whole answer (shared with the stream chunks). */
export interface ChatCompletionIdentity {
  id: string;
  created: number;
  model: string;
}

/**
 * Builds a non-streaming `chat.completion` object exactly as OpenAI shapes it; `content` is null when the
 * answer is only tool calls.
 *
 * @example
 * createChatCompletion({
 *   identity: { id: 'chatcmpl-1', created: 1700000000, model: 'scripted-model' },
 *   resolvedTurn: { text: 'OK', toolCalls: [], finishReason: 'stop' },
 *   usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
 * }).choices[0].message; // { role: 'assistant', content: 'OK', refusal: null }
 */
export function createChatCompletion(options: {
  identity: ChatCompletionIdentity;
  resolvedTurn: ResolvedScriptedTurn;
  /** Left out of the completion when undefined (a server that reports no usage). */
  usage: ScriptedUsage | undefined;
}) {
  const { identity, resolvedTurn, usage } = options;
  const hasToolCalls = resolvedTurn.toolCalls.length > 0;
  const message = {
    role: 'assistant' as const,
    content: hasToolCalls && resolvedTurn.text === '' ? null : resolvedTurn.text,
    refusal: null,
    ...(hasToolCalls
      ? {
          tool_calls: resolvedTurn.toolCalls.map((toolCall) => ({
            id: toolCall.id,
            type: 'function' as const,
            function: { name: toolCall.name, arguments: toolCall.arguments },
          })),
        }
      : {}),
  };
  return {
    id: identity.id,
    object: 'chat.completion' as const,
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, message, finish_reason: resolvedTurn.finishReason, logprobs: null }],
    ...(usage ? { usage } : {}),
  };
}
