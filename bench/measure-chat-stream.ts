import type { ChatTarget } from './chat-target.ts';
import { readChatStream, type ChatStreamResult } from './read-chat-stream.ts';

/** Timings of one streamed request, all in milliseconds from the moment it was sent. */
export interface ChatStreamTiming extends ChatStreamResult {
  status: number;
  /** Response headers received. */
  headersMs: number;
  /** First non-empty content delta parsed (time to first token); NaN when none arrived. */
  firstTokenMs: number;
  /** Body fully read. */
  totalMs: number;
  /** Arrival time of every content delta, when `recordArrivals` is set. */
  arrivalsMs?: number[];
  /** The content, joined, when `recordArrivals` is set. */
  content?: string;
}

/**
 * Sends one streamed chat completion and reads it to the end, timing headers, first content delta and end.
 * With `recordArrivals`, every content delta's arrival time and text are kept (relay throughput, gaps).
 *
 * @example
 * const timing = await measureChatStream({ target: viaPlumb });
 * console.log(timing.firstTokenMs);
 */
export async function measureChatStream(options: {
  target: ChatTarget;
  recordArrivals?: boolean;
}): Promise<ChatStreamTiming> {
  const { target } = options;
  const sentAt = process.hrtime.bigint();
  const since = (at: bigint) => Number(at - sentAt) / 1e6;
  const response = await target.pool.request({
    path: target.path,
    method: 'POST',
    headers: target.headers,
    body: target.body.stream,
  });
  const headersMs = since(process.hrtime.bigint());
  if (response.statusCode !== 200) {
    const text = await response.body.text();
    throw new Error(
      `${target.label} answered HTTP ${response.statusCode} to a streamed request: ${text.slice(0, 300)}`,
    );
  }
  let firstTokenAt: bigint | undefined;
  const arrivals: bigint[] = [];
  const parts: string[] = [];
  const result = await readChatStream(response.body, {
    onContent: (at, content) => {
      firstTokenAt ??= at;
      if (options.recordArrivals) {
        arrivals.push(at);
        parts.push(content);
      }
    },
  });
  const totalMs = since(process.hrtime.bigint());
  return {
    ...result,
    status: response.statusCode,
    headersMs,
    firstTokenMs: firstTokenAt === undefined ? NaN : since(firstTokenAt),
    totalMs,
    ...(options.recordArrivals ? { arrivalsMs: arrivals.map(since), content: parts.join('') } : {}),
  };
}
