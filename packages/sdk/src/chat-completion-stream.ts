import type { ChatCompletionChunk } from '@plumb/protocol';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { PlumbApiError } from './plumb-api-error.ts';

export interface ChatCompletionStreamOptions {
  /** A 2xx `text/event-stream` response whose body has not been read yet. */
  response: Response;
  /** The controller whose signal the request was sent with; aborting it closes the connection. */
  abortController: AbortController;
  /** Called once when the stream is over, however it ended (to release listeners on a caller's signal). */
  onClose?: () => void;
}

/**
 * The chunks of a streamed chat completion, read from Plumb's server-sent events as they arrive. Iterate it
 * once with `for await`; it ends after `data: [DONE]`. An error event in the stream is thrown as a
 * `PlumbApiError`. `abort()` (or the `signal` given to `create`) closes the connection and ends the iteration
 * quietly; leaving the loop early with `break` closes it too.
 *
 * @example
 * const stream = await client.chat.completions.create({ model, mode: 'code', messages, stream: true });
 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
 */
export class ChatCompletionStream implements AsyncIterable<ChatCompletionChunk> {
  /** The HTTP response the chunks are read from (status, headers). */
  readonly response: Response;
  /** The server's `x-request-id`, to quote when reporting a problem. */
  readonly requestId: string | null;
  readonly #abortController: AbortController;
  readonly #onClose: (() => void) | undefined;
  #iterated = false;
  #closed = false;

  constructor(options: ChatCompletionStreamOptions) {
    this.response = options.response;
    this.requestId = options.response.headers.get('x-request-id');
    this.#abortController = options.abortController;
    this.#onClose = options.onClose;
  }

  /** Closes the connection; a running `for await` loop over this stream ends without an error. */
  abort(): void {
    this.#abortController.abort();
    this.#close();
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    if (this.#iterated) {
      throw new Error(
        'This ChatCompletionStream was already iterated; a stream can be read once. Collect the chunks in the first loop.',
      );
    }
    this.#iterated = true;
    return this.#readChunks();
  }

  async *#readChunks(): AsyncGenerator<ChatCompletionChunk> {
    const body = this.response.body;
    if (!body) {
      this.#close();
      throw this.#clientError('invalid_response', 'The streamed response has no body. Retry the request.');
    }
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    let finished = false;
    let bodyEnded = false;
    try {
      for (;;) {
        for (let event = events.shift(); event !== undefined; event = events.shift()) {
          if (event.data === '[DONE]') {
            finished = true;
            return;
          }
          yield this.#parseChunk(event.data);
        }
        if (bodyEnded) {
          throw this.#clientError(
            'stream_incomplete',
            'The stream ended before "data: [DONE]", so the answer may be incomplete. Retry the request.',
          );
        }
        const { done, value } = await reader.read();
        if (done) {
          // Flush a last event the server did not terminate with a blank line.
          parser.feed(decoder.decode());
          parser.reset({ consume: true });
          bodyEnded = true;
        } else {
          parser.feed(decoder.decode(value, { stream: true }));
        }
      }
    } catch (error) {
      if (this.#abortController.signal.aborted) return;
      if (error instanceof PlumbApiError) throw error;
      throw new PlumbApiError(
        'The connection to Plumb broke in the middle of the stream, so the answer is incomplete. Retry the request.',
        {
          status: 0,
          code: 'connection_error',
          type: 'connection_error',
          requestId: this.requestId,
          cause: error,
        },
      );
    } finally {
      // Reached on [DONE], on an error, and when the caller leaves the loop early (`break`): anything but a
      // complete stream leaves the connection open, so close it rather than leak it.
      if (!finished) this.#abortController.abort();
      reader.releaseLock();
      this.#close();
    }
  }

  #parseChunk(data: string): ChatCompletionChunk {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (error) {
      throw this.#clientError(
        'invalid_response',
        `The stream carried an event that is not JSON: ${data.slice(0, 200)}. Check that baseUrl points at a Plumb server.`,
        error,
      );
    }
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      throw PlumbApiError.fromStreamEvent(parsed.error, this.response.headers);
    }
    return parsed as ChatCompletionChunk;
  }

  #clientError(code: string, message: string, cause?: unknown): PlumbApiError {
    return new PlumbApiError(message, {
      status: 0,
      code,
      type: 'api_error',
      requestId: this.requestId,
      headers: this.response.headers,
      cause,
    });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose?.();
  }
}
