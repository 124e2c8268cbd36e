import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUserStore, loadConfig, startServer, type RunningServer } from '@plumb/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapturedProgram } from '../testing/start-captured-program.ts';

const login = { username: 'linus', password: 'a long enough password' };

/** A minimal browser: follows redirects with cookies and submits each page's first form. */
async function completeInBrowser(start: string): Promise<string> {
  const cookies = new Map<string, string>();
  let request: { url: string; form?: Record<string, string> } = { url: start };
  for (let step = 0; step < 20; step += 1) {
    const response = await fetch(request.url, {
      method: request.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(request.form ? { body: new URLSearchParams(request.form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    const location = response.headers.get('location');
    if (location !== null) {
      request = { url: new URL(location, request.url).href };
      continue;
    }
    const page = await response.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page);
    if (!form) return page;
    const hidden = Object.fromEntries(
      [...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((match) => [
        match[1]!,
        match[2]!,
      ]),
    );
    const fields = form[1]!.endsWith('/login') ? login : {};
    request = { url: new URL(form[1]!, request.url).href, form: { ...hidden, ...fields } };
  }
  throw new Error('Too many steps in the browser flow.');
}

describe('plumb login', () => {
  let dataDirectory: string;
  let server: RunningServer;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'plumb-login-test-'));
    server = await startServer(
      loadConfig({ environment: {}, overrides: { port: 0, dataDirectory, logLevel: 'silent' } }),
    );
    await createUserStore(server.storage).create(login);
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it('signs in with the device flow and saves credentials.json with mode 0600', async () => {
    const credentialsDirectory = join(dataDirectory, 'client-side');
    const run = startCapturedProgram(['login', '--url', server.url, '--data-dir', credentialsDirectory], {
      environment: {},
    });
    const [, verificationUrl] = await run.waitForOutput(/^Open (\S+) in a browser/m, { stream: 'stderr' });
    const page = await completeInBrowser(verificationUrl!);
    expect(page).toContain('The device is signed in');
    expect(await run.exitCode).toBe(0);
    expect(run.stdout()).toContain(`Signed in to ${server.url}`);
    const file = join(credentialsDirectory, 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const credentials = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(credentials).toMatchObject({
      url: server.url,
      client_id: 'plumb-cli',
      scope: 'code:read code:write code:debug usage:read',
      access_token: expect.stringMatching(/^ey/) as unknown,
      refresh_token: expect.any(String) as unknown,
    });
  }, 20_000);

  it('fails with the OAuth error for an unknown client', async () => {
    const run = startCapturedProgram(['login', '--url', server.url, '--client-id', 'nope'], {
      environment: {},
    });
    expect(await run.exitCode).toBe(1);
    expect(run.stderr()).toMatch(/^error invalid_client: could not start the device flow/m);
  });
});
