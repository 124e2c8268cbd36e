import type { Readable } from 'node:stream';
import type { ChatTarget } from './chat-target.ts';

/** Streams held open by the client, to be closed together. */
export interface IdleStreams {
  /** Streams whose headers arrived with status 200. */
  opened: number;
  failed: number;
  firstError?: string;
  /** Send of the first → headers of the last, ms. */
  openMs: number;
  /** How many of the opened streams have ended (they should not while the test holds them). */
  ended(): number;
  /** Destroys every body, which aborts the requests and closes their sockets. */
  close(): void;
}

/**
 * Opens `count` streamed requests at once and returns when every one has its response headers (or failed).
 * Bodies keep flowing into a no-op so the slow trickle of tokens never backs up.
 *
 * @example
 * const streams = await openIdleStreams({ target, count: 1000 });
 * streams.close();
 */
export async function openIdleStreams(options: { target: ChatTarget; count: number }): Promise<IdleStreams> {
  const { target, count } = options;
  const bodies: Readable[] = [];
  let ended = 0;
  let failed = 0;
  let firstError: string | undefined;
  const startedAt = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: count }, async () => {
      try {
        const response = await target.pool.request({
          path: target.path,
          method: 'POST',
          headers: target.headers,
          body: target.body.stream,
        });
        if (response.statusCode !== 200) {
          failed += 1;
          firstError ??= `HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 300)}`;
          return;
        }
        const body = response.body;
        body.on('data', ignore);
        body.on('error', ignore);
        body.on('end', () => (ended += 1));
        bodies.push(body);
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }),
  );
  const openMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  return {
    opened: bodies.length,
    failed,
    ...(firstError === undefined ? {} : { firstError }),
    openMs,
    ended: () => ended,
    close() {
      for (const body of bodies) body.destroy();
    },
  };
}

function ignore(): void {}
