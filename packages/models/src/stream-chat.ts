import type {
  LanguageModelV3FinishReason,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import {
  PlumbError,
  toPlumbError,
  type AssistantMessage,
  type ChatCompletionChunk,
  type GuardReport,
} from '@plumb/protocol';
import type { ChatInput, ChatOutcome } from './chat-input.ts';
import { createCompletionId } from './create-completion-id.ts';
import { extractCodeBlocks } from './extract-code-blocks.ts';
import { formatProviderWarning } from './format-provider-warning.ts';
import { mapUpstreamError } from './map-upstream-error.ts';
import { prepareChatCall, toPlumbExtension } from './prepare-chat-call.ts';
import { toFinishReason } from './to-finish-reason.ts';
import { createToolCallDeltaTracker } from './tool-call-delta-tracker.ts';
import { toUsage } from './to-usage.ts';

type ChunkDelta = ChatCompletionChunk['choices'][number]['delta'];

/** A streamed chat completion: iterate it once for the chunks; `outcome` settles when it ends. */
export interface ChatStream extends AsyncIterable<ChatCompletionChunk> {
  readonly id: string;
  /** Resolves after the last chunk was produced (or rejects on a mid-stream error). */
  readonly outcome: Promise<ChatOutcome>;
}

/**
 * Starts a streamed chat completion. The upstream call is made before this resolves, so a provider that
 * answers with an HTTP error, refuses the connection or times out makes this throw a `PlumbError` before
 * any chunk exists (the server can still answer with a JSON error and the right status). After that, chunks
 * are produced as the provider sends its parts, without buffering, except that guards with
 * `checkCodeBlock` hold each code block until its closing fence.
 *
 * Chunks follow OpenAI: a first delta `{ role: 'assistant', content: '' }`, content and tool call deltas,
 * a last chunk with an empty delta, the finish reason and the `plumb` extension, then, when
 * `stream_options.include_usage` is set, a chunk with no choices and the usage. An error the provider
 * reports mid-stream makes the iterator throw a `PlumbError` (`upstream_error`) and `outcome` reject with
 * it; a consumer that stops iterating early cancels the upstream request and `outcome` rejects with
 * `request_timeout`.
 *
 * @example
 * const stream = await startChatStream({ model, modelName: 'local/qwen', request, messages: request.messages });
 * for await (const chunk of stream) reply.raw.write(`data: ${JSON.stringify(chunk)}\n\n`);
 * const outcome = await stream.outcome;
 */
export async function startChatStream(input: ChatInput): Promise<ChatStream> {
  const prepared = prepareChatCall(input);
  const errorContext = { modelName: input.modelName, abortSignal: input.abortSignal };
  let result: LanguageModelV3StreamResult;
  try {
    result = await input.model.doStream(prepared.callOptions);
  } catch (error) {
    throw mapUpstreamError(error, errorContext);
  }

  const id = createCompletionId();
  const created = Math.floor(Date.now() / 1000);
  let resolveOutcome!: (outcome: ChatOutcome) => void;
  let rejectOutcome!: (error: unknown) => void;
  const outcome = new Promise<ChatOutcome>((resolve, reject) => {
    resolveOutcome = resolve;
    rejectOutcome = reject;
  });
  // Callers that only iterate must not trigger an unhandled rejection; the iterator throws the same error.
  outcome.catch(() => undefined);

  const chunk = (
    choices: ChatCompletionChunk['choices'],
    extra: Partial<ChatCompletionChunk> = {},
  ): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: input.modelName,
    choices,
    ...extra,
  });
  const deltaChunk = (delta: ChunkDelta): ChatCompletionChunk =>
    chunk([{ index: 0, delta, finish_reason: null, logprobs: null }]);

  async function* generateChunks(): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const reader = result.stream.getReader();
    const streamGuard = prepared.pipeline?.createStreamGuard(prepared.guardContext) ?? null;
    const toolCallTracker = createToolCallDeltaTracker();
    const warnings = [...prepared.warnings];
    let relayedText = '';
    let upstreamFinishReason: LanguageModelV3FinishReason | undefined;
    let upstreamUsage: LanguageModelV3Usage | undefined;
    let settled = false;
    try {
      yield deltaChunk({ role: 'assistant', content: '' });
      for (;;) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          throw mapUpstreamError(error, errorContext);
        }
        if (next.done) break;
        const part = next.value;
        switch (part.type) {
          case 'stream-start':
            warnings.push(...part.warnings.map(formatProviderWarning));
            break;
          case 'text-delta': {
            const text = streamGuard ? await streamGuard.push(part.delta) : part.delta;
            relayedText += text;
            if (text !== '') yield deltaChunk({ content: text });
            break;
          }
          case 'tool-input-start':
          case 'tool-input-delta':
          case 'tool-call': {
            const toolCallDelta = toolCallTracker.accept(part);
            if (toolCallDelta) yield deltaChunk({ tool_calls: [toolCallDelta] });
            break;
          }
          case 'finish':
            upstreamFinishReason = part.finishReason;
            upstreamUsage = part.usage;
            break;
          case 'error':
            throw new PlumbError(
              'upstream_error',
              `The model "${input.modelName}" failed in the middle of its answer: ${describeStreamError(part.error)}. Retry the request.`,
              { cause: part.error },
            );
          default:
            // Reasoning, sources, files, metadata and raw chunks have no place in an OpenAI chat completion.
            break;
        }
      }

      const toolCalls = toolCallTracker.toolCalls();
      let guards: GuardReport[] = [];
      if (streamGuard) {
        const finished = await streamGuard.finish({ toolCalls });
        guards = finished.reports;
        relayedText += finished.text;
        if (finished.text !== '') yield deltaChunk({ content: finished.text });
      }

      const finishReason = toFinishReason(upstreamFinishReason, { hasToolCalls: toolCalls.length > 0 });
      const {
        usage,
        warning: usageWarning,
        source: usageSource,
      } = toUsage(upstreamUsage, {
        messages: prepared.messages,
        completionText: relayedText + toolCalls.map((call) => call.function.arguments).join(''),
      });
      if (usageWarning) warnings.push(usageWarning);
      const content = relayedText === '' && toolCalls.length > 0 ? null : relayedText;
      const codeBlocks = content === null ? [] : extractCodeBlocks(content);
      const message: AssistantMessage = {
        role: 'assistant',
        content,
        refusal: null,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        ...(codeBlocks.length > 0 ? { code_blocks: codeBlocks } : {}),
      };

      yield chunk([{ index: 0, delta: {}, finish_reason: finishReason, logprobs: null }], {
        plumb: toPlumbExtension(prepared, { sessionId: input.sessionId, guards, warnings }),
      });
      if (input.request.stream_options?.include_usage) yield chunk([], { usage });
      settled = true;
      resolveOutcome({ message, finishReason, usage, usageSource, guards, warnings });
    } catch (error) {
      // Upstream failures are already PlumbErrors here; anything else is a fault of Plumb itself.
      const plumbError = toPlumbError(error);
      settled = true;
      rejectOutcome(plumbError);
      throw plumbError;
    } finally {
      if (!settled) {
        rejectOutcome(
          new PlumbError(
            'request_timeout',
            `The stream from the model "${input.modelName}" was cancelled before it finished.`,
          ),
        );
      }
      // Stops the upstream request when the consumer quit early or a part was an error; a no-op otherwise.
      await reader.cancel().catch(() => undefined);
    }
  }

  const chunks = generateChunks();
  return { id, outcome, [Symbol.asyncIterator]: () => chunks };
}

function describeStreamError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    return JSON.stringify(error);
  }
  return String(error);
}
