import type { LanguageModelV3GenerateResult, LanguageModelV3Usage } from '@ai-sdk/provider';
import type { AssistantMessage, ChatCompletion, ToolCall } from '@plumb/protocol';
import type { ChatInput, ChatOutcome } from './chat-input.ts';
import { createCompletionId } from './create-completion-id.ts';
import { extractCodeBlocks } from './extract-code-blocks.ts';
import { formatProviderWarning } from './format-provider-warning.ts';
import { mapUpstreamError } from './map-upstream-error.ts';
import { prepareChatCall, toPlumbExtension } from './prepare-chat-call.ts';
import { toLanguageModelPrompt } from './to-language-model-prompt.ts';
import { toFinishReason } from './to-finish-reason.ts';
import { toUsage } from './to-usage.ts';

/**
 * Runs one non-streaming chat completion: mode prompt, one upstream call, guards (mode "code"), and the
 * OpenAI-shaped response with `code_blocks` and the `plumb` extension. Upstream failures are thrown as
 * `PlumbError`s (see `mapUpstreamError`).
 *
 * @example
 * const { model } = registry.resolveModel(request.model);
 * const { completion, outcome } = await completeChat({ model, modelName: request.model, request, messages: request.messages });
 */
export async function completeChat(
  input: ChatInput,
): Promise<{ completion: ChatCompletion; outcome: ChatOutcome }> {
  const prepared = prepareChatCall(input);
  let result: LanguageModelV3GenerateResult;
  try {
    result = await input.model.doGenerate(prepared.callOptions);
  } catch (error) {
    throw mapUpstreamError(error, { modelName: input.modelName, abortSignal: input.abortSignal });
  }

  const text = result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const toolCalls: ToolCall[] = result.content.flatMap((part) =>
    part.type === 'tool-call' && !part.providerExecuted
      ? [
          {
            id: part.toolCallId,
            type: 'function' as const,
            function: { name: part.toolName, arguments: part.input },
          },
        ]
      : [],
  );
  let content: string | null = text === '' && toolCalls.length > 0 ? null : text;
  const warnings = [...prepared.warnings, ...result.warnings.map(formatProviderWarning)];

  let guards: ChatOutcome['guards'] = [];
  // Guards may ask the model to repair the answer; those calls are billed with the request.
  const repairUsages: LanguageModelV3Usage[] = [];
  if (prepared.pipeline) {
    const repair = async (answer: string, instructions: string): Promise<string> => {
      const { prompt } = toLanguageModelPrompt(
        [
          ...prepared.messages,
          { role: 'assistant', content: answer },
          { role: 'user', content: instructions },
        ],
        { requestOffset: prepared.messages.length },
      );
      let repaired: LanguageModelV3GenerateResult;
      try {
        repaired = await input.model.doGenerate({ ...prepared.callOptions, prompt });
      } catch (error) {
        throw mapUpstreamError(error, { modelName: input.modelName, abortSignal: input.abortSignal });
      }
      repairUsages.push(repaired.usage);
      return repaired.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
    };
    const checked = await prepared.pipeline.check(
      { content, toolCalls, codeBlocks: content === null ? [] : extractCodeBlocks(content) },
      { ...prepared.guardContext, repair },
    );
    content = checked.content;
    guards = checked.reports;
  }

  const {
    usage,
    warning: usageWarning,
    source: usageSource,
  } = toUsage(addUsage(result.usage, repairUsages), {
    messages: prepared.messages,
    completionText: text + toolCalls.map((call) => call.function.arguments).join(''),
  });
  if (usageWarning) warnings.push(usageWarning);

  const codeBlocks = content === null ? [] : extractCodeBlocks(content);
  const message: AssistantMessage = {
    role: 'assistant',
    content,
    refusal: null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(codeBlocks.length > 0 ? { code_blocks: codeBlocks } : {}),
  };
  const finishReason = toFinishReason(result.finishReason, { hasToolCalls: toolCalls.length > 0 });
  const completion: ChatCompletion = {
    id: createCompletionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: input.modelName,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage,
    plumb: toPlumbExtension(prepared, { sessionId: input.sessionId, guards, warnings }),
  };
  return { completion, outcome: { message, finishReason, usage, usageSource, guards, warnings } };
}

/** The first call's usage plus the repair calls' (token counts a provider did not report stay unknown). */
function addUsage(first: LanguageModelV3Usage, more: LanguageModelV3Usage[]): LanguageModelV3Usage {
  if (more.length === 0) return first;
  const sum = (pick: (usage: LanguageModelV3Usage) => number | undefined) => {
    const values = [first, ...more].map(pick);
    return values.some((value) => value === undefined)
      ? undefined
      : values.reduce<number>((total, value) => total + (value ?? 0), 0);
  };
  return {
    ...first,
    inputTokens: {
      total: sum((usage) => usage.inputTokens.total),
      noCache: sum((usage) => usage.inputTokens.noCache),
      cacheRead: sum((usage) => usage.inputTokens.cacheRead),
      cacheWrite: sum((usage) => usage.inputTokens.cacheWrite),
    },
    outputTokens: {
      total: sum((usage) => usage.outputTokens.total),
      text: sum((usage) => usage.outputTokens.text),
      reasoning: sum((usage) => usage.outputTokens.reasoning),
    },
  };
}
