import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import type { ChatMessage, Usage } from '@plumb/protocol';
import { countTokens } from 'gpt-tokenizer';

/**
 * Token count of a text with the o200k BPE tokenizer (`gpt-tokenizer`). Exact for OpenAI's current models
 * and within a few percent for other BPE families (Llama, Qwen); used only when a provider reports no
 * usage, and Plumb then says so in `plumb.warnings`.
 *
 * @example
 * estimateTokenCount('hello world!'); // 3
 */
export function estimateTokenCount(text: string): number {
  return text === '' ? 0 : countTokens(text);
}

/** Per-message overhead of chat formats (role markers, separators), as OpenAI documents for its models. */
const tokensPerMessage = 4;

/**
 * Prompt tokens of the messages sent upstream, counted the way `toUsage` counts them when a provider reports
 * none: every message's text (and tool call names and arguments) plus a per-message overhead. Price
 * estimates use it too, so an estimate matches what a tokenizer-metered request is charged.
 *
 * @example
 * estimatePromptTokenCount([{ role: 'user', content: 'hello world!' }]); // 7
 */
export function estimatePromptTokenCount(messages: readonly ChatMessage[]): number {
  return messages.reduce(
    (sum, message) => sum + tokensPerMessage + estimateTokenCount(messageText(message)),
    0,
  );
}

/**
 * Converts the provider's usage into OpenAI's shape. When the provider reported no token counts, both are
 * estimated with `estimateTokenCount` (prompt: every message's text plus a small per-message overhead;
 * completion: the answer text and tool call arguments) and a warning is returned.
 *
 * @example
 * const { usage, warning } = toUsage(result.usage, { messages, completionText: text });
 */
export function toUsage(
  usage: LanguageModelV3Usage | undefined,
  estimateFrom: { messages: ChatMessage[]; completionText: string },
): { usage: Usage; warning: string | null; source: 'provider' | 'tokenizer' } {
  const promptTokens = usage?.inputTokens.total;
  const completionTokens = usage?.outputTokens.total;
  if (promptTokens !== undefined && completionTokens !== undefined) {
    const cached = usage?.inputTokens.cacheRead;
    return {
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        ...(cached ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
      },
      warning: null,
      source: 'provider',
    };
  }
  const estimatedPrompt = promptTokens ?? estimatePromptTokenCount(estimateFrom.messages);
  const estimatedCompletion = completionTokens ?? estimateTokenCount(estimateFrom.completionText);
  return {
    usage: {
      prompt_tokens: estimatedPrompt,
      completion_tokens: estimatedCompletion,
      total_tokens: estimatedPrompt + estimatedCompletion,
    },
    source: 'tokenizer',
    warning:
      'The provider reported no token usage; Plumb counted tokens with the o200k tokenizer. Enable usage reporting on the model server for its exact counts.',
  };
}

function messageText(message: ChatMessage): string {
  const content = message.content;
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((part) => ('text' in part ? part.text : 'refusal' in part ? part.refusal : '')).join('')
        : '';
  const toolCalls = message.role === 'assistant' ? (message.tool_calls ?? []) : [];
  return text + toolCalls.map((call) => call.function.name + call.function.arguments).join('');
}
