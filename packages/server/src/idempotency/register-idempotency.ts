import { PlumbError } from '@plumb/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { billingSubject } from '../auth/billing-subject.ts';
import type { Storage } from '../storage/index.ts';
import { hashRequestBody } from './hash-request-body.ts';
import {
  createIdempotencyStore,
  type IdempotencyKeyIdentity,
  type StoredResponse,
} from './idempotency-store.ts';
import { parseIdempotencyKey } from './parse-idempotency-key.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set when the request claimed an `Idempotency-Key`: a streaming route passes it to `writeEventStream` as
     * `onTranscript`, so the exact SSE text of a stream that ends normally is kept for replay.
     */
    recordStreamTranscript: ((transcript: string) => Promise<void>) | null;
  }
}

export interface RegisterIdempotencyOptions {
  storage: Storage;
  /** How long a key is remembered (`config.idempotency.ttlSeconds`). */
  ttlSeconds: number;
  /** How often expired keys are purged; default 10 minutes. Keys are also purged when met expired. */
  purgeIntervalMs?: number;
}

/** Headers kept with a stored response; everything else (request id, dates) belongs to the new request. */
const replayedHeaders = ['content-type', 'cache-control', 'deprecation', 'sunset', 'link', 'location'];

/**
 * Statuses that release the key instead of storing the answer, so a retry with the same key runs again: server
 * failures, and refusals that say "try again later" (408, 409, 429). Other 4xx answers are kept and replayed.
 */
function releasesKey(status: number): boolean {
  return status >= 500 || status === 408 || status === 409 || status === 429;
}

interface Claim {
  identity: IdempotencyKeyIdentity;
  /** Set once the key was completed or released, so it is done exactly once. */
  settled: boolean;
}

/**
 * `Idempotency-Key` for POST routes under `/v3/` and `/v1/`, with Stripe's semantics: the first request with
 * a key runs and its response (JSON, or the SSE transcript of a stream) is stored; a retry with the same key
 * and body gets that response again with `Idempotent-Replayed: true` and the handler does not run; the same
 * key with another body gets 422 `idempotency_key_reused`; a key whose first request still runs gets 409
 * `idempotency_key_in_flight` with `Retry-After: 1`. 5xx answers and failed or aborted streams release the
 * key. Keys are scoped per billing subject and route, and expire after `ttlSeconds`.
 *
 * Register it after authentication (it reads `request.principal`) and before the routes.
 *
 * @example
 * await registerIdempotency(app, { storage, ttlSeconds: config.idempotency.ttlSeconds });
 */
export async function registerIdempotency(app: FastifyInstance, options: RegisterIdempotencyOptions) {
  const store = createIdempotencyStore(options.storage);
  const claims = new WeakMap<FastifyRequest, Claim>();
  app.decorateRequest('recordStreamTranscript', null);

  async function settle(request: FastifyRequest, claim: Claim, action: () => Promise<void>) {
    if (claim.settled) return;
    claim.settled = true;
    try {
      await action();
    } catch (error) {
      // The answer still goes out; the key then stays in flight until it expires.
      request.log.error({ err: error }, 'could not update an idempotency key');
    }
  }

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    const routeUrl = request.routeOptions.url;
    if (header === undefined || request.method !== 'POST' || !routeUrl || !/^\/v[13]\//.test(routeUrl))
      return;
    const identity = {
      subject: billingSubject(request.principal),
      route: `${request.method} ${routeUrl}`,
      key: parseIdempotencyKey(header),
    };
    const result = await store.claim({
      ...identity,
      requestHash: hashRequestBody(request.body),
      ttlSeconds: options.ttlSeconds,
    });
    if (result.kind === 'completed') return replay(reply, result.response);
    if (result.kind === 'mismatch') {
      throw new PlumbError(
        'idempotency_key_reused',
        `The Idempotency-Key "${identity.key}" was already used with a different request body. Retry with the identical body, or use a new key for a new request.`,
        { param: 'Idempotency-Key' },
      );
    }
    if (result.kind === 'in_flight') {
      throw new PlumbError(
        'idempotency_key_in_flight',
        `A request with the Idempotency-Key "${identity.key}" is still being processed. Retry after it finishes to get its result.`,
        { param: 'Idempotency-Key', headers: { 'retry-after': '1' } },
      );
    }
    const claim: Claim = { identity, settled: false };
    claims.set(request, claim);
    request.recordStreamTranscript = (transcript) =>
      settle(request, claim, () =>
        store.complete(identity, {
          status: 200,
          headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
          body: transcript,
        }),
      );
    // Whatever did not complete by the time the connection closes (a failed or aborted stream, a client that
    // went away) is released, so the client may retry with the same key.
    reply.raw.once('close', () => {
      void settle(request, claim, () => store.release(identity));
    });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (claim === undefined || claim.settled) return payload;
    const body = payloadText(payload);
    if (releasesKey(reply.statusCode) || body === undefined) {
      await settle(request, claim, () => store.release(claim.identity));
    } else {
      const response = { status: reply.statusCode, headers: pickHeaders(reply), body };
      await settle(request, claim, () => store.complete(claim.identity, response));
    }
    return payload;
  });

  const purgeTimer = setInterval(() => {
    store.purgeExpired().catch((error: unknown) => {
      app.log.warn({ err: error }, 'could not purge expired idempotency keys');
    });
  }, options.purgeIntervalMs ?? 600_000);
  // Never keeps the process alive, and stops with the app.
  purgeTimer.unref();
  app.addHook('onClose', async () => clearInterval(purgeTimer));
}

function replay(reply: FastifyReply, response: StoredResponse): FastifyReply {
  return reply
    .status(response.status)
    .headers(response.headers)
    .header('idempotent-replayed', 'true')
    .send(response.body);
}

/** JSON answers reach onSend as text; a payload that is a stream cannot be kept, so its key is released. */
function payloadText(payload: unknown): string | undefined {
  if (payload === null || payload === undefined) return '';
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return undefined;
}

function pickHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of replayedHeaders) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}
