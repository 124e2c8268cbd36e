import type { Readable } from 'node:stream';

/** What one streamed chat completion delivered. */
export interface ChatStreamResult {
  /** Server-sent events with a `data:` payload, `[DONE]` included. */
  events: number;
  /** Events whose first choice carried non-empty `delta.content`. */
  contentDeltas: number;
  /** Characters of content received. */
  contentCharacters: number;
  /** Whether `data: [DONE]` arrived. */
  done: boolean;
  /** The message of an in-stream `{"error": ...}` event, if one arrived. */
  error?: string;
}

/**
 * Reads an OpenAI-style SSE body to its end, calling `onContent` with `process.hrtime.bigint()` as each
 * content delta is parsed. Both the baseline and Plumb go through this same parser, so its cost cancels out of
 * the comparison.
 *
 * @example
 * const { body } = await pool.request({ path: '/v1/chat/completions', method: 'POST', body: json, headers });
 * const result = await readChatStream(body, { onContent: (at) => arrivals.push(at) });
 */
export async function readChatStream(
  body: Readable,
  options: { onContent?: (at: bigint, content: string) => void } = {},
): Promise<ChatStreamResult> {
  const result: ChatStreamResult = { events: 0, contentDeltas: 0, contentCharacters: 0, done: false };
  body.setEncoding('utf8');
  let buffered = '';
  for await (const chunk of body as AsyncIterable<string>) {
    const at = process.hrtime.bigint();
    buffered += chunk;
    let boundary = buffered.indexOf('\n\n');
    while (boundary !== -1) {
      const event = buffered.slice(0, boundary);
      buffered = buffered.slice(boundary + 2);
      handleEvent(event, at, result, options.onContent);
      boundary = buffered.indexOf('\n\n');
    }
  }
  if (buffered.trim() !== '') handleEvent(buffered, process.hrtime.bigint(), result, options.onContent);
  return result;
}

function handleEvent(
  event: string,
  at: bigint,
  result: ChatStreamResult,
  onContent: ((at: bigint, content: string) => void) | undefined,
): void {
  let data = '';
  for (const line of event.split('\n')) {
    if (line.startsWith('data:')) data += line.slice(line.startsWith('data: ') ? 6 : 5).replace(/\r$/, '');
  }
  if (data === '') return;
  result.events += 1;
  if (data === '[DONE]') {
    result.done = true;
    return;
  }
  const parsed = JSON.parse(data) as {
    choices?: Array<{ delta?: { content?: string | null } }>;
    error?: { message?: string };
  };
  if (parsed.error) {
    result.error = parsed.error.message ?? JSON.stringify(parsed.error);
    return;
  }
  const content = parsed.choices?.[0]?.delta?.content;
  if (typeof content === 'string' && content !== '') {
    result.contentDeltas += 1;
    result.contentCharacters += content.length;
    onContent?.(at, content);
  }
}
