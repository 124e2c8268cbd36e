import type { LanguageModelV3FinishReason } from '@ai-sdk/provider';
import type { FinishReason } from '@plumb/protocol';

/**
 * Maps the AI SDK's finish reason onto OpenAI's. An answer with tool calls finishes with `tool_calls`
 * whatever the provider said (some servers say `stop`), because clients run tools on that signal. `error`
 * and `other` have no OpenAI counterpart and become `stop`.
 *
 * @example
 * toFinishReason({ unified: 'tool-calls', raw: 'tool_calls' }, { hasToolCalls: true }); // 'tool_calls'
 */
export function toFinishReason(
  finishReason: LanguageModelV3FinishReason | undefined,
  options: { hasToolCalls: boolean },
): FinishReason {
  switch (finishReason?.unified) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    default:
      return options.hasToolCalls ? 'tool_calls' : 'stop';
  }
}
