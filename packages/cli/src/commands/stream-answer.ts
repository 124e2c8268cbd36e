import type { ChatCompletionRequest, FinishReason, PlumbExtension, Usage } from '@plumb/protocol';
import type { PlumbClient } from '@plumb/sdk';

/** One answer, put back together from its streamed chunks. */
export interface StreamedAnswer {
  content: string;
  finishReason: FinishReason | null;
  usage: Usage | null;
  /** Plumb's extension from the last chunk (guard reports, warnings); null when the stream was cut short. */
  plumb: PlumbExtension | null;
  /** True when `abortSignal` stopped the answer before its end. */
  aborted: boolean;
}

export interface StreamAnswerOptions {
  client: PlumbClient;
  request: ChatCompletionRequest;
  /** Called with each piece of content as its chunk arrives. */
  onContent?: (text: string) => void;
  /** Stops the answer: the connection closes, the server cancels the upstream call, the result is `aborted`. */
  abortSignal?: AbortSignal;
}

/**
 * Sends one chat completion as a stream (asking for usage), hands each content delta to `onContent` as it
 * arrives and resolves with the reassembled answer. API failures reject with the sdk's `PlumbApiError`.
 *
 * @example
 * const answer = await streamAnswer({ client, request, onContent: (text) => process.stdout.write(text) });
 * console.log(answer.usage?.total_tokens);
 */
export async function streamAnswer(options: StreamAnswerOptions): Promise<StreamedAnswer> {
  const answer: StreamedAnswer = {
    content: '',
    finishReason: null,
    usage: null,
    plumb: null,
    aborted: false,
  };
  const { abortSignal } = options;
  try {
    const stream = await options.client.chat.completions.create(
      { ...options.request, stream: true, stream_options: { include_usage: true } },
      abortSignal ? { signal: abortSignal } : {},
    );
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const text = choice?.delta.content;
      if (text) {
        answer.content += text;
        options.onContent?.(text);
      }
      if (choice?.finish_reason) answer.finishReason = choice.finish_reason;
      if (chunk.usage) answer.usage = chunk.usage;
      if (chunk.plumb) answer.plumb = chunk.plumb;
    }
  } catch (error) {
    // An abort while waiting for the response headers surfaces as an AbortError; it is not a failure.
    if (!abortSignal?.aborted) throw error;
  }
  answer.aborted = abortSignal?.aborted === true;
  return answer;
}
