import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import semver from 'semver';
import { advisoryAffects, parseOsvVulnerability } from './advisory-clients.ts';
import { createNpmRegistryClient } from './npm-registry-client.ts';
import type { Ecosystem } from './package-document.ts';
import { createPypiRegistryClient, normalizePypiName } from './pypi-registry-client.ts';
import type { RegistryClient } from './registry-client.ts';
import type { RegistryHttpOptions } from './registry-http.ts';

/**
 * Recorded registry documents, answered the way the real services answer them. The directory holds
 * `npm/<encodeURIComponent(name)>.json` (a packument, or `{ "status": 404, "body": "..." }`),
 * `pypi/<normalized name>.json` (a JSON API document or a 404 record), `npm-advisories/<encoded name>.json`
 * (the bulk endpoint's entries for that package) and `osv/<id>.json` (OSV records).
 *
 * Routes: `GET /npm/<name>` (full, or abbreviated for `application/vnd.npm.install-v1+json`, with ETags and
 * 304s), `POST /npm/-/npm/v1/security/advisories/bulk`, `GET /pypi/<name>/json`, `POST /osv/v1/querybatch`,
 * `GET /osv/v1/vulns/<id>`.
 *
 * @example const response = await handleRecordedRequest(dir, new Request('http://x/npm/chart.js'));
 */
export async function handleRecordedRequest(directory: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const pathname = url.pathname;
  if (request.method === 'POST' && pathname === '/npm/-/npm/v1/security/advisories/bulk')
    return json(await npmBulkAnswer(directory, await request.json()));
  if (request.method === 'POST' && pathname === '/osv/v1/querybatch')
    return json(await osvBatchAnswer(directory, await request.json()));
  if (request.method !== 'GET') return new Response('method not allowed', { status: 405 });
  if (pathname.startsWith('/osv/v1/vulns/')) {
    const id = decodeURIComponent(pathname.slice('/osv/v1/vulns/'.length));
    const text = await readText(path.join(directory, 'osv', `${id.replace(/[^\w.-]/g, '_')}.json`));
    return text === undefined
      ? json({ code: 5, message: 'Bug not found.' }, 404)
      : conditional(request, text, 'application/json');
  }
  const pypi = /^\/pypi\/([^/]+)\/json\/?$/.exec(pathname);
  if (pypi?.[1]) {
    const record = await readText(
      path.join(directory, 'pypi', `${normalizePypiName(decodeURIComponent(pypi[1]))}.json`),
    );
    return answerRecord(request, record, JSON.stringify({ message: 'Not Found' }));
  }
  if (pathname.startsWith('/npm/')) {
    const name = decodeURIComponent(pathname.slice('/npm/'.length));
    const record = await readText(path.join(directory, 'npm', `${encodeURIComponent(name)}.json`));
    const abbreviated = (request.headers.get('accept') ?? '').startsWith(
      'application/vnd.npm.install-v1+json',
    );
    if (record !== undefined && abbreviated) {
      const document = JSON.parse(record) as Record<string, unknown>;
      if (document.status !== 404)
        return conditional(
          request,
          JSON.stringify(abbreviate(document)),
          'application/vnd.npm.install-v1+json',
        );
    }
    return answerRecord(request, record, JSON.stringify({ error: 'Not found' }));
  }
  return json({ error: 'Not found' }, 404);
}

function answerRecord(request: Request, record: string | undefined, notFoundBody: string): Response {
  if (record === undefined)
    return new Response(notFoundBody, { status: 404, headers: { 'content-type': 'application/json' } });
  const parsed = JSON.parse(record) as Record<string, unknown>;
  if (parsed.status === 404)
    return new Response(typeof parsed.body === 'string' && parsed.body !== '' ? parsed.body : notFoundBody, {
      status: 404,
      headers: { 'content-type': 'application/json' },
    });
  return conditional(request, record, 'application/json');
}

/** The abbreviated ("corgi") form of a full packument, as the npm registry derives it. */
function abbreviate(document: Record<string, unknown>): Record<string, unknown> {
  const keep = [
    'name',
    'version',
    'deprecated',
    'dependencies',
    'optionalDependencies',
    'peerDependencies',
    'engines',
    'dist',
    'bin',
  ];
  const versions = (document.versions ?? {}) as Record<string, Record<string, unknown>>;
  const time = (document.time ?? {}) as Record<string, unknown>;
  return {
    name: document.name,
    'dist-tags': document['dist-tags'],
    versions: Object.fromEntries(
      Object.entries(versions).map(([version, manifest]) => [
        version,
        Object.fromEntries(Object.entries(manifest).filter(([key]) => keep.includes(key))),
      ]),
    ),
    modified: time.modified ?? new Date(0).toISOString(),
  };
}

function conditional(request: Request, text: string, contentType: string): Response {
  const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers: { etag } });
  return new Response(text, { status: 200, headers: { 'content-type': contentType, etag } });
}

async function npmBulkAnswer(directory: string, body: unknown): Promise<Record<string, unknown[]>> {
  const answer: Record<string, unknown[]> = {};
  if (typeof body !== 'object' || body === null) return answer;
  for (const [name, versions] of Object.entries(body as Record<string, unknown>)) {
    const text = await readText(path.join(directory, 'npm-advisories', `${encodeURIComponent(name)}.json`));
    if (text === undefined || !Array.isArray(versions)) continue;
    const entries = (JSON.parse(text) as Record<string, unknown>[]).filter((entry) =>
      versions.some(
        (version) =>
          typeof version === 'string' &&
          semver.valid(version) !== null &&
          semver.satisfies(version, String(entry.vulnerable_versions), { includePrerelease: true }),
      ),
    );
    if (entries.length > 0) answer[name] = entries;
  }
  return answer;
}

async function osvBatchAnswer(directory: string, body: unknown): Promise<Record<string, unknown>> {
  const queries =
    typeof body === 'object' && body !== null && Array.isArray((body as { queries?: unknown }).queries)
      ? ((body as { queries: unknown[] }).queries as {
          package?: { name?: string; ecosystem?: string };
          version?: string;
        }[])
      : [];
  const files = await readdir(path.join(directory, 'osv')).catch(() => [] as string[]);
  const records = await Promise.all(
    files
      .filter((file) => file.endsWith('.json'))
      .map(
        async (file) =>
          JSON.parse(await readFile(path.join(directory, 'osv', file), 'utf8')) as Record<string, unknown>,
      ),
  );
  return {
    results: queries.map((query) => {
      const ecosystem: Ecosystem = query.package?.ecosystem === 'npm' ? 'npm' : 'pypi';
      const name = query.package?.name ?? '';
      const vulns = records.filter((record) => {
        const advisory = parseOsvVulnerability(record, ecosystem, name);
        const concerns =
          Array.isArray(record.affected) &&
          record.affected.some(
            (item: { package?: { name?: string; ecosystem?: string } }) =>
              item.package?.ecosystem === query.package?.ecosystem &&
              (ecosystem === 'pypi'
                ? normalizePypiName(item.package?.name ?? '') === normalizePypiName(name)
                : item.package?.name === name),
          );
        return (
          concerns && (query.version === undefined || advisoryAffects(advisory, query.version, ecosystem))
        );
      });
      return vulns.length === 0
        ? {}
        : { vulns: vulns.map((record) => ({ id: record.id, modified: record.modified })) };
    }),
  };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

/** A fault the recorded server injects before answering a path: hang past the client's timeout, fail, or garble. */
export type RecordedFault = 'timeout' | 'reset' | 'malformed' | 429 | 500 | 502 | 503;

export interface RecordedRegistryServer {
  /** Base URL, `http://127.0.0.1:<port>/`. */
  url: string;
  npmRegistryUrl: string;
  pypiIndexUrl: string;
  osvApiUrl: string;
  /** Requests answered so far (faults included). */
  requestCount(): number;
  /** Queue faults for requests whose path starts with `pathPrefix`; each request consumes one. */
  injectFaults(pathPrefix: string, faults: RecordedFault[]): void;
  close(): Promise<void>;
}

/**
 * Serves a recorded-documents directory over real HTTP on 127.0.0.1 (random port), with fault injection for
 * timeouts, 5xx, resets and malformed JSON.
 *
 * @example const server = await startRecordedRegistryServer(dir); createNpmRegistryClient({ registryUrl: server.npmRegistryUrl });
 */
export async function startRecordedRegistryServer(directory: string): Promise<RecordedRegistryServer> {
  const faults = new Map<string, RecordedFault[]>();
  let count = 0;
  const server: Server = createServer((incoming, outgoing) => {
    count += 1;
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      void (async () => {
        const pathname = (incoming.url ?? '/').split('?')[0] ?? '/';
        const prefix = [...faults.keys()].find(
          (key) => pathname.startsWith(key) && (faults.get(key)?.length ?? 0) > 0,
        );
        const fault = prefix === undefined ? undefined : faults.get(prefix)?.shift();
        if (fault === 'timeout') return; // never answer; the client's timeout must fire
        if (fault === 'reset') return void incoming.socket.destroy();
        if (typeof fault === 'number') {
          outgoing.writeHead(fault, {
            'content-type': 'application/json',
            ...(fault === 429 ? { 'retry-after': '1' } : {}),
          });
          return void outgoing.end(JSON.stringify({ error: `injected ${fault}` }));
        }
        if (fault === 'malformed') {
          outgoing.writeHead(200, { 'content-type': 'application/json' });
          return void outgoing.end('{"name": "truncated", "versions": {');
        }
        const headers = new Headers();
        for (const [key, value] of Object.entries(incoming.headers))
          if (typeof value === 'string') headers.set(key, value);
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const request = new Request(`http://127.0.0.1${incoming.url ?? '/'}`, {
          method: incoming.method ?? 'GET',
          headers,
          ...(body && incoming.method !== 'GET' ? { body } : {}),
        });
        const response = await handleRecordedRequest(directory, request).catch(
          (error: unknown) => new Response(JSON.stringify({ error: String(error) }), { status: 500 }),
        );
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    npmRegistryUrl: `${url}npm/`,
    pypiIndexUrl: url,
    osvApiUrl: `${url}osv/`,
    requestCount: () => count,
    injectFaults: (pathPrefix, list) => faults.set(pathPrefix, [...(faults.get(pathPrefix) ?? []), ...list]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A registry client that answers from a recorded-documents directory without a network, through the same
 * parsing, caching and error handling as the live clients (it injects a `fetch` that serves the files).
 *
 * @example const npm = createRecordedRegistryClient('fixtures/dependencies/registry', { ecosystem: 'npm' });
 */
export function createRecordedRegistryClient(
  directory: string,
  options: RegistryHttpOptions & { ecosystem?: Ecosystem } = {},
): RegistryClient {
  const fetchRecorded: typeof globalThis.fetch = (input, init) =>
    handleRecordedRequest(directory, new Request(input instanceof Request ? input : String(input), init));
  const shared = { retries: 0, ...options, fetch: fetchRecorded };
  return options.ecosystem === 'pypi'
    ? createPypiRegistryClient({ ...shared, indexUrl: 'http://recorded/' })
    : createNpmRegistryClient({ ...shared, registryUrl: 'http://recorded/npm/' });
}
