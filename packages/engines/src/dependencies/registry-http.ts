import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PlumbError } from '@plumb/protocol';

/** Options shared by every HTTP-backed registry and advisory client. */
export interface RegistryHttpOptions {
  /** The `fetch` to use; inject one to replay recorded documents or to test failures. Defaults to global fetch. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Directory for the ETag cache (one JSON file per URL + Accept). No disk cache when absent. */
  cacheDirectory?: string | undefined;
  /** Answer from the cache only; an uncached document is `registry_unavailable`. */
  offline?: boolean | undefined;
  /** Cached documents younger than this are served without revalidation (default 5 minutes, like npm). */
  cacheMaxAgeMs?: number | undefined;
  /** Requests in flight at once (default 16). */
  concurrency?: number | undefined;
  /** Retries after the first attempt on 429, 5xx, timeouts and network errors (default 3). */
  retries?: number | undefined;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number | undefined;
  /** First backoff delay; doubles per retry, plus up to the same again of jitter (default 250 ms). */
  backoffBaseMs?: number | undefined;
  /** Longest `Retry-After` honoured before a retry (default 10 s); longer waits fail sooner instead. */
  maxRetryAfterMs?: number | undefined;
  /** Clock for cache ages (tests). */
  now?: (() => number) | undefined;
}

/** Counters a client exposes through `stats()`. */
export interface RegistryStats {
  /** Network requests sent, retries included. */
  requests: number;
  /** Documents answered from the cache without a network request. */
  cacheHits: number;
  /** Conditional requests the registry answered with 304 Not Modified. */
  notModified: number;
  retries: number;
}

export type RegistryResponse = { status: 'ok'; body: unknown } | { status: 'not_found' };

interface CacheEntry {
  url: string;
  accept: string;
  etag?: string | undefined;
  storedAt: number;
  status: 200 | 404;
  body: string;
}

/** The HTTP machinery of the registry clients: cache, conditional requests, concurrency, retries, timeouts. */
export interface RegistryHttp {
  getJson(
    url: string,
    accept: string,
    requestOptions?: { offline?: boolean | undefined },
  ): Promise<RegistryResponse>;
  postJson(url: string, body: unknown): Promise<RegistryResponse>;
  stats(): RegistryStats;
}

/**
 * Creates the shared HTTP layer. Failures that survive the retries throw `registry_unavailable`; 404 is an
 * answer (`not_found`), not a failure; a body that is not JSON is `registry_unavailable` too.
 *
 * @example
 * const http = createRegistryHttp({ cacheDirectory: '/tmp/plumb-cache', concurrency: 8 });
 * await http.getJson('https://registry.npmjs.org/semver', 'application/json');
 */
export function createRegistryHttp(options: RegistryHttpOptions = {}): RegistryHttp {
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const retries = Math.max(0, options.retries ?? 3);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const backoffBaseMs = options.backoffBaseMs ?? 250;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  const maxAge = options.cacheMaxAgeMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const limit = createLimiter(Math.max(1, options.concurrency ?? 16));
  const memory = new Map<string, CacheEntry>();
  const counters: RegistryStats = { requests: 0, cacheHits: 0, notModified: 0, retries: 0 };
  const parsedBodies = new WeakMap<CacheEntry, unknown>();
  let directoryReady = false;

  const cacheFile = (key: string) =>
    options.cacheDirectory ? path.join(options.cacheDirectory, `${key}.json`) : undefined;

  // A cache file is one line of JSON metadata, then the body exactly as the registry sent it: one parse of
  // the body, not a parse of a JSON string holding it.
  function readCache(key: string): CacheEntry | undefined {
    const cached = memory.get(key);
    if (cached) return cached;
    const file = cacheFile(key);
    if (!file) return undefined;
    try {
      // Synchronous on purpose: a cache file is small, and one blocking read (~20 µs) beats the four thread-pool
      // round trips of an async read; a warm 1,500-package check reads 1,500 of them (35 ms instead of 300).
      const text = readFileSync(file, 'utf8');
      const newline = text.indexOf('\n');
      if (newline === -1) return undefined;
      const entry = {
        ...(JSON.parse(text.slice(0, newline)) as Omit<CacheEntry, 'body'>),
        body: text.slice(newline + 1),
      };
      memory.set(key, entry);
      return entry;
    } catch {
      // A missing or torn cache file is a cache miss, never an error.
      return undefined;
    }
  }

  async function writeCache(key: string, entry: CacheEntry): Promise<void> {
    memory.set(key, entry);
    const file = cacheFile(key);
    if (!file || !options.cacheDirectory) return;
    if (!directoryReady) {
      await mkdir(options.cacheDirectory, { recursive: true });
      directoryReady = true;
    }
    const { body, ...metadata } = entry;
    // Write then rename so a concurrent reader never sees half a file.
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, `${JSON.stringify(metadata)}\n${body}`);
    await rename(temporary, file);
  }

  async function send(url: string, init: RequestInit): Promise<Response> {
    let lastError: unknown;
    let retryAfterMs = 0;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (attempt > 0) {
        counters.retries += 1;
        const base = backoffBaseMs * 2 ** (attempt - 1);
        // Exponential backoff with full jitter, or the registry's own Retry-After when longer (capped).
        await sleep(Math.max(base + Math.random() * base, retryAfterMs));
        retryAfterMs = 0;
      }
      counters.requests += 1;
      try {
        const response = await fetchImplementation(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        if (response.status === 429 || response.status >= 500) {
          lastError = new Error(`HTTP ${response.status}`);
          const retryAfter = Number(response.headers.get('retry-after'));
          if (Number.isFinite(retryAfter) && retryAfter > 0)
            retryAfterMs = Math.min(retryAfter * 1000, maxRetryAfterMs);
          await response.body?.cancel();
          continue;
        }
        return response;
      } catch (error) {
        lastError =
          error instanceof Error && error.name === 'TimeoutError'
            ? new Error(`timed out after ${timeoutMs} ms`)
            : error;
      }
    }
    throw new PlumbError(
      'registry_unavailable',
      `The registry did not answer ${url} after ${retries + 1} attempts (${describe(lastError)}). Check the network or the registry URL, or run offline from the cache.`,
      { cause: lastError },
    );
  }

  function parseCached(url: string, entry: CacheEntry): unknown {
    if (parsedBodies.has(entry)) return parsedBodies.get(entry);
    const body = parse(url, entry.body);
    parsedBodies.set(entry, body);
    return body;
  }

  function parse(url: string, text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new PlumbError(
        'registry_unavailable',
        `The registry answered ${url} with a body that is not JSON (${describe(error)}). The registry or a proxy in between is misbehaving; retry later or point at another registry.`,
        { cause: error },
      );
    }
  }

  return {
    async getJson(url, accept, requestOptions = {}) {
      const offline = requestOptions.offline ?? options.offline;
      const key = createHash('sha256').update(`${accept}\n${url}`).digest('hex');
      const cached = readCache(key);
      if (cached && (offline || now() - cached.storedAt < maxAge)) {
        counters.cacheHits += 1;
        return cached.status === 404
          ? { status: 'not_found' }
          : { status: 'ok', body: parseCached(url, cached) };
      }
      if (offline)
        throw new PlumbError(
          'registry_unavailable',
          `Offline mode and ${url} is not in the cache. Run once online to fill the cache, or turn offline mode off.`,
        );
      return limit(async () => {
        const headers: Record<string, string> = { accept };
        if (cached?.etag) headers['if-none-match'] = cached.etag;
        const response = await send(url, { headers });
        if (response.status === 304 && cached) {
          counters.notModified += 1;
          await writeCache(key, { ...cached, storedAt: now() });
          return cached.status === 404
            ? { status: 'not_found' }
            : { status: 'ok', body: parseCached(url, cached) };
        }
        const text = await response.text();
        if (response.status === 404) {
          await writeCache(key, { url, accept, storedAt: now(), status: 404, body: '' });
          return { status: 'not_found' };
        }
        if (!response.ok)
          throw new PlumbError(
            'registry_unavailable',
            `The registry answered ${url} with HTTP ${response.status}. Check the registry URL and credentials.`,
          );
        const body = parse(url, text);
        await writeCache(key, {
          url,
          accept,
          etag: response.headers.get('etag') ?? undefined,
          storedAt: now(),
          status: 200,
          body: text,
        });
        return { status: 'ok', body };
      });
    },

    async postJson(url, body) {
      const payload = JSON.stringify(body);
      const key = createHash('sha256').update(`POST\n${url}\n${payload}`).digest('hex');
      const cached = readCache(key);
      if (cached && (options.offline || now() - cached.storedAt < maxAge)) {
        counters.cacheHits += 1;
        return { status: 'ok', body: parseCached(url, cached) };
      }
      if (options.offline)
        throw new PlumbError(
          'registry_unavailable',
          `Offline mode and the answer of ${url} for this query is not in the cache. Run once online, or turn offline mode off.`,
        );
      return limit(async () => {
        const response = await send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: payload,
        });
        const text = await response.text();
        if (response.status === 404) return { status: 'not_found' };
        if (!response.ok)
          throw new PlumbError(
            'registry_unavailable',
            `The advisory service answered ${url} with HTTP ${response.status}. Check its URL.`,
          );
        const parsed = parse(url, text);
        await writeCache(key, { url, accept: 'application/json', storedAt: now(), status: 200, body: text });
        return { status: 'ok', body: parsed };
      });
    },

    stats: () => ({ ...counters }),
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** A counting semaphore: at most `size` tasks run at once, the rest wait in order. */
function createLimiter(size: number): <TResult>(task: () => Promise<TResult>) => Promise<TResult> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}
