import type { LanguageModelV3 } from '@ai-sdk/provider';
import type {
  AssistantMessage,
  ChatCompletionRequest,
  ChatMessage,
  FinishReason,
  GuardReport,
  Usage,
} from '@plumb/protocol';
import type { Guard } from './guard.ts';

/** Everything one chat completion needs; the same for `completeChat` and `startChatStream`. */
export interface ChatInput {
  model: LanguageModelV3;
  /** The `provider/model-id` the client sent; echoed in responses. */
  modelName: string;
  /** The request's parameters (temperature, tools, mode ...). */
  request: ChatCompletionRequest;
  /** The full history to send: session history plus the new messages. */
  messages: ChatMessage[];
  /** Applied in mode "code" only. */
  guards?: Guard[];
  sessionId?: string | null;
  /** Cancels the upstream call; a signal from `AbortSignal.timeout()` yields `upstream_timeout`. */
  abortSignal?: AbortSignal;
  /** Extra HTTP headers for the upstream request. */
  headers?: Record<string, string>;
}

/** What a completion produced, for the session history and the usage ledger. */
export interface ChatOutcome {
  message: AssistantMessage;
  finishReason: FinishReason;
  usage: Usage;
  /** Where the token counts come from: the provider's report, or Plumb's tokenizer when it sent none. */
  usageSource: 'provider' | 'tokenizer';
  guards: GuardReport[];
  warnings: string[];
}
