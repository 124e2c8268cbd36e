import net from 'node:net';
import { PlumbError } from '@plumb/protocol';

export interface InspectorTarget {
  /** The `ws://` URL to open the DevTools protocol session on. */
  webSocketUrl: string;
  /** The target's main program, when its inspector says (`file:///app/main.js` in `/json/list`). */
  programUrl?: string;
  warnings: string[];
}

/** One entry of the inspector's `GET /json/list`. */
interface ListedTarget {
  webSocketDebuggerUrl?: unknown;
  url?: unknown;
  id?: unknown;
}

/**
 * Whether a host is loopback: 127.0.0.0/8, ::1 (also IPv4-mapped), or `localhost`. Literal addresses only: a
 * name that merely resolves to loopback today is not trusted.
 *
 * @example isLoopbackHost('127.0.0.1') // => true
 * @example isLoopbackHost('10.0.0.5') // => false
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (!net.isIPv6(bare)) return false;
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped?.[1] !== undefined && mapped[1].startsWith('127.');
}

/**
 * Finds the WebSocket URL of a Node inspector from what a person types: `host:port`, `http://host:port` (asks
 * the inspector's `/json/list`) or a `ws://host:port/<id>` URL (used as it is). Only loopback hosts unless
 * `allowRemoteHosts`. Throws PlumbError `invalid_request` for a malformed or refused address and
 * `debug_attach_failed` when nothing inspector-like answers there.
 *
 * @example const { webSocketUrl } = await resolveInspectorAddress('127.0.0.1:9229'); // => 'ws://127.0.0.1:9229/3f1c...'
 */
export async function resolveInspectorAddress(
  address: string,
  options: { allowRemoteHosts?: boolean; timeoutMilliseconds?: number } = {},
): Promise<InspectorTarget> {
  const url = parseAddress(address.trim());
  const checkHost = (candidate: URL) => {
    if (options.allowRemoteHosts || isLoopbackHost(candidate.hostname)) return;
    throw new PlumbError(
      'invalid_request',
      `Refusing to attach to ${candidate.host}: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed, because a Node inspector runs any code its client sends and has no authentication. Run the program on this machine, or tunnel its port here (ssh -L 9229:127.0.0.1:9229 host).`,
      { param: 'address' },
    );
  };
  checkHost(url);
  const listUrl = new URL('/json/list', `http://${url.host}`);
  const where = url.host;
  // Asked even for a ws:// URL: it tells a live inspector from a dead port, and names the program.
  const targets = await listTargets(listUrl, options.timeoutMilliseconds ?? 3_000);
  if (url.protocol === 'ws:') {
    const id = url.pathname.slice(1);
    const listed = targets.find((target) => target.id === id);
    if (!listed) {
      throw new PlumbError(
        'debug_attach_failed',
        `The inspector at ${where} has no target ${id} (the program restarted with a new id?); attach with ${where} to take its current target.`,
      );
    }
    return {
      webSocketUrl: url.href,
      ...(typeof listed.url === 'string' ? { programUrl: listed.url } : {}),
      warnings: [],
    };
  }
  const usable = targets.filter((target) => typeof target.webSocketDebuggerUrl === 'string');
  const [first] = usable;
  if (!first) {
    throw new PlumbError(
      'debug_attach_failed',
      `The inspector at ${where} lists no target to attach to (another debugger may hold it); close that debugger and attach again.`,
    );
  }
  const webSocketUrl = new URL(String(first.webSocketDebuggerUrl));
  // The list comes from whoever answers on that port: its URL must pass the same host check.
  checkHost(webSocketUrl);
  const warnings =
    usable.length > 1
      ? [
          `The inspector at ${where} lists ${usable.length} targets; attached to the first (${String(first.url ?? first.id)}). Pass its ws:// URL to choose another.`,
        ]
      : [];
  return {
    webSocketUrl: webSocketUrl.href,
    ...(typeof first.url === 'string' ? { programUrl: first.url } : {}),
    warnings,
  };
}

function parseAddress(address: string): URL {
  const malformed = () =>
    new PlumbError(
      'invalid_request',
      `Cannot read the inspector address ${JSON.stringify(address)}; give host:port (127.0.0.1:9229), http://host:port, or the ws://host:port/<id> URL that node --inspect printed.`,
      { param: 'address' },
    );
  let url: URL;
  try {
    if (/^\d+$/.test(address)) url = new URL(`http://127.0.0.1:${address}`);
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) url = new URL(address);
    else url = new URL(`http://${address}`);
  } catch {
    throw malformed();
  }
  const wellFormed =
    (url.protocol === 'http:' || url.protocol === 'ws:') &&
    url.hostname !== '' &&
    url.port !== '' &&
    url.username === '' &&
    url.password === '' &&
    (url.protocol === 'ws:' ? url.pathname.length > 1 : url.pathname === '/');
  if (!wellFormed) throw malformed();
  return url;
}

async function listTargets(listUrl: URL, timeoutMilliseconds: number): Promise<ListedTarget[]> {
  const where = listUrl.host;
  let response: Response;
  try {
    response = await fetch(listUrl, { redirect: 'error', signal: AbortSignal.timeout(timeoutMilliseconds) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const reason =
      cause?.code === 'ECONNREFUSED'
        ? 'nothing is listening there'
        : (error as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMilliseconds} ms`
          : (cause?.code ?? (error as Error).message);
    throw new PlumbError(
      'debug_attach_failed',
      `Cannot reach a Node inspector at ${where}: ${reason}. Start the program with node --inspect=${where} (or --inspect-brk to hold it before its first line) and attach again.`,
      { cause: error },
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok || !Array.isArray(body)) {
    throw new PlumbError(
      'debug_attach_failed',
      `${where} answered GET /json/list with HTTP ${response.status} and ${Array.isArray(body) ? 'a list' : 'no target list'}: it is not a Node inspector. Check the port node --inspect printed (Debugger listening on ws://...).`,
    );
  }
  return body as ListedTarget[];
}
