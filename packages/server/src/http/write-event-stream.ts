import type { ServerResponse } from 'node:http';
import { toPlumbError } from '@plumb/protocol';

/**
 * Relays an async iterable of JSON chunks as server-sent events, one `data:` event per chunk, written as
 * soon as it arrives (no buffering), ending with `data: [DONE]`. An error after the headers were sent is
 * reported as a final `data: {"error": ...}` event, which OpenAI SDKs raise as an API error.
 *
 * Returns `false` when the client went away before the end. With `onTranscript`, the exact text of a stream
 * that ends normally (`[DONE]` included) is handed over, and awaited, just before the last event is written,
 * so whatever it stores is in place by the time the client sees `[DONE]` (idempotent replays rely on this).
 *
 * @example
 * await writeEventStream(reply.raw, chatStream, { headers: { 'x-request-id': request.id } });
 */
export async function writeEventStream(
  response: ServerResponse,
  chunks: AsyncIterable<unknown>,
  options: {
    headers: Record<string, string>;
    onError?: (error: unknown) => void;
    onTranscript?: (transcript: string) => Promise<void> | void;
  },
): Promise<boolean> {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...options.headers,
  });
  // Headers go out with the first chunk; flushing them now lets clients measure time-to-first-byte honestly.
  response.flushHeaders();
  // Kept only when asked for: most streams need no copy of what they wrote.
  const transcript: string[] | undefined = options.onTranscript ? [] : undefined;
  try {
    let corked = false;
    const uncork = () => {
      corked = false;
      response.uncork();
    };
    for await (const chunk of chunks) {
      if (response.destroyed) return false;
      // Chunks that arrive in the same tick (an upstream TCP read often carries many) leave in one write
      // system call; nothing waits longer than the current tick.
      if (!corked) {
        corked = true;
        response.cork();
        process.nextTick(uncork);
      }
      const event = `data: ${JSON.stringify(chunk)}\n\n`;
      transcript?.push(event);
      const canContinue = response.write(event);
      if (!canContinue) await waitForDrain(response);
    }
    if (response.destroyed) return false;
    if (transcript) {
      transcript.push(doneEvent);
      await options.onTranscript?.(transcript.join(''));
    }
    response.end(doneEvent);
    return true;
  } catch (error) {
    options.onError?.(error);
    if (!response.destroyed) {
      response.end(`data: ${JSON.stringify(toPlumbError(error).toResponseBody())}\n\n`);
    }
    return false;
  }
}

const doneEvent = 'data: [DONE]\n\n';

function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
