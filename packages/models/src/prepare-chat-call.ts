import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { ChatMessage, ChatMode, PlumbExtension } from '@plumb/protocol';
import type { ChatInput } from './chat-input.ts';
import { applyModePrompt } from './code-system-prompt.ts';
import type { GuardContext } from './guard.ts';
import { createGuardPipeline, type GuardPipeline } from './guard-pipeline.ts';
import { toCallOptions } from './to-call-options.ts';
import { toLanguageModelPrompt } from './to-language-model-prompt.ts';

export interface PreparedChatCall {
  callOptions: LanguageModelV3CallOptions;
  mode: ChatMode;
  promptVersion: string | null;
  /** The messages sent upstream (mode prompt included). */
  messages: ChatMessage[];
  /** Warnings so far (request conversion); provider and guard warnings are added later. */
  warnings: string[];
  /** Null when no guard applies (mode "chat", or no guards given). */
  pipeline: GuardPipeline | null;
  guardContext: GuardContext;
}

/**
 * The shared first step of `completeChat` and `startChatStream`: applies the mode's system prompt, converts
 * the messages and parameters for the provider, and sets up the guards (mode "code" only).
 *
 * @example
 * const prepared = prepareChatCall(input);
 * await input.model.doGenerate(prepared.callOptions);
 */
export function prepareChatCall(input: ChatInput): PreparedChatCall {
  const mode = input.request.mode;
  const { messages, promptVersion } = applyModePrompt(input.messages, mode);
  const { prompt, warnings: promptWarnings } = toLanguageModelPrompt(messages, {
    requestOffset: messages.length - input.request.messages.length,
  });
  const { callOptions, warnings: optionWarnings } = toCallOptions({
    request: input.request,
    prompt,
    abortSignal: input.abortSignal,
    headers: input.headers,
  });
  const guards = mode === 'code' ? (input.guards ?? []) : [];
  return {
    callOptions,
    mode,
    promptVersion,
    messages,
    warnings: [...promptWarnings, ...optionWarnings],
    pipeline: guards.length > 0 ? createGuardPipeline(guards) : null,
    guardContext: { request: input.request, messages },
  };
}

/**
 * The `plumb` extension of a response.
 *
 * @example
 * toPlumbExtension(prepared, { sessionId: null, guards: [], warnings: [] });
 */
export function toPlumbExtension(
  prepared: PreparedChatCall,
  details: { sessionId: string | null | undefined; guards: PlumbExtension['guards']; warnings: string[] },
): PlumbExtension {
  return {
    mode: prepared.mode,
    prompt_version: prepared.promptVersion,
    session_id: details.sessionId ?? null,
    guards: details.guards,
    warnings: details.warnings,
  };
}
