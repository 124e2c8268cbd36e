import * as oauth from 'oauth4webapi';
import { createClientStore, type ClientStore } from '../src/auth/oauth/client-store.ts';
import { createUserStore, type UserStore } from '../src/auth/oauth/user-store.ts';
import { startTestServer, type TestServer } from './start-test-server.ts';

export interface OAuthTestServer {
  server: TestServer;
  url: string;
  issuer: URL;
  /** Discovered through the root RFC 8414 document, as a client would. */
  authorizationServer: oauth.AuthorizationServer;
  clients: ClientStore;
  users: UserStore;
  /** oauth4webapi options for plain-http test servers. */
  http: { [oauth.allowInsecureRequests]: true };
  close(): Promise<void>;
}

/**
 * A real Plumb server for OAuth tests, with the client and user stores on its storage (what the CLI uses).
 *
 * @example
 * const auth = await startOAuthTestServer();
 * const { client, clientSecret } = await auth.clients.create({ ... });
 */
export async function startOAuthTestServer(): Promise<OAuthTestServer> {
  const server = await startTestServer({ noModels: true });
  const url = server.plumb.url;
  const issuer = new URL(`${url}/oauth`);
  const http = { [oauth.allowInsecureRequests]: true } as const;
  const authorizationServer = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...http }),
  );
  return {
    server,
    url,
    issuer,
    authorizationServer,
    clients: createClientStore(server.plumb.storage),
    users: createUserStore(server.plumb.storage),
    http,
    close: () => server.close(),
  };
}

/** The cookies a browser would keep, by name (tests run one flow at a time, so paths do not matter). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', attributeValue = ''] = attribute.split('=').map((part) => part.trim());
        if (key.toLowerCase() === 'max-age') return Number(attributeValue) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(attributeValue) <= Date.now();
        return false;
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * A browser: follows redirects by hand, carrying cookies, and answers the login and consent pages by
 * posting their forms, until the server redirects to `stopAt` (the client's redirect URI) or renders a
 * page that is neither login nor consent. Returns that last response's URL or page.
 */
export async function browse(options: {
  start: string;
  baseUrl: string;
  jar?: CookieJar;
  login?: { username: string; password: string };
  consent?: 'allow' | 'deny';
  stopAt?: string;
  /** Extra form fields for the first page with a form that is not login or consent (device flow). */
  onOtherForm?: (page: string) => { action: string; fields: Record<string, string> } | undefined;
}): Promise<{ location?: string; status: number; page?: string }> {
  const jar = options.jar ?? new CookieJar();
  let request: { url: string; method: 'GET' | 'POST'; form?: Record<string, string> } = {
    url: options.start,
    method: 'GET',
  };
  for (let step = 0; step < 20; step += 1) {
    const response = await fetch(new URL(request.url, options.baseUrl), {
      method: request.method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(request.form ? { body: new URLSearchParams(request.form).toString() } : {}),
    });
    jar.store(response);
    console.log(request.method, request.url, response.status, response.headers.get('location'));
    const location = response.headers.get('location');
    if (location !== null && response.status >= 300 && response.status < 400) {
      const absolute = new URL(location, new URL(request.url, options.baseUrl)).href;
      if (options.stopAt && absolute.startsWith(options.stopAt))
        return { location: absolute, status: response.status };
      request = { url: absolute, method: 'GET' };
      continue;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+\/(login|confirm|abort))"/g;
    const forms = [...page.matchAll(action)].map((match) => ({ action: match[1]!, kind: match[2]! }));
    const login = forms.find((form) => form.kind === 'login');
    const confirm = forms.find((form) => form.kind === 'confirm');
    const abort = forms.find((form) => form.kind === 'abort');
    if (login && options.login && response.status === 200) {
      request = { url: login.action, method: 'POST', form: options.login };
    } else if (confirm && abort && options.consent) {
      request = { url: (options.consent === 'allow' ? confirm : abort).action, method: 'POST', form: {} };
    } else {
      const other = options.onOtherForm?.(page);
      if (other === undefined) return { status: response.status, page };
      request = { url: other.action, method: 'POST', form: other.fields };
    }
  }
  throw new Error('Too many steps in the browser flow.');
}
