import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** Top-level fields of an OpenAI chat completion chunk that do not stop two content deltas being merged. */
const envelopeFields = new Set([
  'id',
  'object',
  'created',
  'model',
  'system_fingerprint',
  'service_tier',
  'choices',
  'usage',
]);
const choiceFields = new Set(['index', 'delta', 'finish_reason', 'logprobs']);

interface ContentDelta {
  chunk: { id?: unknown; model?: unknown; choices: [{ delta: { content: string } }] };
  parts: string[];
}

/**
 * Wraps the `fetch` of an OpenAI-wire provider so that, in a streamed answer, content deltas that arrive in
 * the same network read are merged into one server-sent event before the AI SDK parses them. The SDK parses
 * and validates each event on its own (JSON, zod schema, several web-stream stages: most of Plumb's CPU per
 * token); a model server that writes faster than that makes reads of hundreds of events, and merging them
 * costs one `JSON.parse` each. Nothing waits for more data: what a read holds is passed on at once, so the
 * first token and the gaps between reads are as the upstream sent them. Every other event (role, tool calls,
 * finish reason, usage, `[DONE]`, anything unexpected) passes through in order and unchanged, and responses
 * that are not event streams are not touched.
 *
 * @example
 * const compatible = createOpenAICompatible({ name, baseURL, fetch: withCoalescedContentDeltas(fetch) });
 */
export function withCoalescedContentDeltas(baseFetch: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.body || !contentType.includes('text/event-stream')) return response;
    return new Response(response.body.pipeThrough(createContentDeltaCoalescer()), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * The transform behind {@link withCoalescedContentDeltas}: bytes of an OpenAI chat completion event stream in,
 * the same stream out with each read's consecutive content deltas merged.
 *
 * @example body.pipeThrough(createContentDeltaCoalescer());
 */
export function createContentDeltaCoalescer(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });

  const rewrite = (read: EventSourceMessage[]): string => {
    let output = '';
    let pending: ContentDelta | undefined;
    const flush = () => {
      if (!pending) return;
      const { chunk, parts } = pending;
      chunk.choices[0].delta.content = parts.length === 1 ? (parts[0] ?? '') : parts.join('');
      output += `data: ${JSON.stringify(chunk)}\n\n`;
      pending = undefined;
    };
    for (const event of read) {
      const chunk =
        event.event === undefined && event.id === undefined ? contentChunkOf(event.data) : undefined;
      if (chunk && pending && pending.chunk.id === chunk.id && pending.chunk.model === chunk.model) {
        pending.parts.push(chunk.choices[0].delta.content);
        continue;
      }
      flush();
      if (chunk) pending = { chunk, parts: [chunk.choices[0].delta.content] };
      else output += serializeEvent(event);
    }
    flush();
    return output;
  };

  return new TransformStream({
    transform(bytes, controller) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      if (events.length === 0) return;
      const read = events;
      events = [];
      controller.enqueue(encoder.encode(rewrite(read)));
    },
    flush(controller) {
      parser.feed(decoder.decode());
      // An event the upstream did not end with a blank line is passed on as it was parsed so far.
      const rest = events;
      events = [];
      if (rest.length > 0) controller.enqueue(encoder.encode(rewrite(rest)));
    },
  });
}

/** The chunk when `data` is an OpenAI chunk whose only change is text content of choice 0; else undefined. */
function contentChunkOf(data: string): ContentDelta['chunk'] | undefined {
  if (data.charCodeAt(0) !== 123 /* { */) return undefined;
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof chunk !== 'object' || chunk === null) return undefined;
  const record = chunk as Record<string, unknown>;
  for (const key in record) if (!envelopeFields.has(key)) return undefined;
  if (record.usage !== undefined && record.usage !== null) return undefined;
  const choices = record.choices;
  if (!Array.isArray(choices) || choices.length !== 1) return undefined;
  const choice = choices[0] as Record<string, unknown>;
  for (const key in choice) if (!choiceFields.has(key)) return undefined;
  if (choice.index !== 0 || (choice.finish_reason ?? null) !== null || (choice.logprobs ?? null) !== null) {
    return undefined;
  }
  const delta = choice.delta as Record<string, unknown> | undefined;
  if (typeof delta !== 'object' || delta === null || typeof delta.content !== 'string') return undefined;
  for (const key in delta) if (key !== 'content') return undefined;
  return chunk as ContentDelta['chunk'];
}

function serializeEvent(event: EventSourceMessage): string {
  let text = '';
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  for (const line of event.data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}
