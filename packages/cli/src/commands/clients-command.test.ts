import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startServer, type RunningServer } from '@plumb/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';

describe('plumb clients and plumb users (on the data directory of a running server)', () => {
  let dataDirectory: string;
  let server: RunningServer;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'plumb-clients-test-'));
    server = await startServer(
      loadConfig({ environment: {}, overrides: { port: 0, dataDirectory, logLevel: 'silent' } }),
    );
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const run = (args: string[], stdinText?: string) =>
    runCapturedProgram(args, {
      environment: { PLUMB_DATA_DIR: dataDirectory },
      ...(stdinText ? { stdinText } : {}),
    });

  async function token(clientId: string, secret: string) {
    const response = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'code:read' }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('creates a client the running server accepts at once, lists it, and revokes it', async () => {
    const created = await run([
      'clients',
      'create',
      '--name',
      'ci-bot',
      '--grant',
      'client_credentials',
      '--scopes',
      'code:read,code:write',
      '--json',
    ]);
    expect(created.exitCode).toBe(0);
    const client = JSON.parse(created.stdout) as {
      client_id: string;
      client_secret: string;
      scopes: string[];
    };
    expect(client.scopes).toEqual(['code:read', 'code:write']);
    expect((await token(client.client_id, client.client_secret)).status).toBe(200);

    const listed = await run(['clients', 'list']);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^${client.client_id}\\s+ci-bot\\s+client_credentials\\s+code:read,code:write\\s+active$`,
        'm',
      ),
    );
    expect(listed.stdout).toMatch(/^plumb-cli\s+plumb CLI\s+device_code/m);
    expect(listed.stdout).not.toContain(client.client_secret);

    expect((await run(['clients', 'revoke', client.client_id])).stdout).toBe(`revoked ${client.client_id}\n`);
    expect((await token(client.client_id, client.client_secret)).body).toMatchObject({
      error: 'invalid_client',
    });
    expect((await run(['clients', 'revoke', 'plumb_nope'])).exitCode).toBe(1);
  });

  it('prints the secret once in text form, and rejects bad input with exit code 2', async () => {
    const created = await run([
      'clients',
      'create',
      '--name',
      'svc',
      '--grant',
      'client_credentials',
      '--scopes',
      'usage:read',
    ]);
    expect(created.stdout).toMatch(/^client_id: plumb_\S+\nclient_secret: \S{43}\n$/);
    expect(
      (await run(['clients', 'create', '--name', 'x', '--grant', 'password', '--scopes', 'code:read']))
        .exitCode,
    ).toBe(2);
    expect(
      (await run(['clients', 'create', '--name', 'x', '--grant', 'client_credentials', '--scopes', 'root']))
        .exitCode,
    ).toBe(2);
    const noRedirect = await run([
      'clients',
      'create',
      '--name',
      'ide',
      '--grant',
      'authorization_code',
      '--scopes',
      'code:read',
    ]);
    expect(noRedirect.exitCode).toBe(2);
    expect(noRedirect.stderr).toContain('--redirect-uri');
  });

  it('creates users from a password on stdin, refusing duplicates', async () => {
    const created = await run(
      ['users', 'create', 'ada', '--password-stdin', '--json'],
      'a long enough password\n',
    );
    expect(created.exitCode).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ object: 'user', username: 'ada' });
    const again = await run(['users', 'create', 'ada', '--password-stdin'], 'a long enough password\n');
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect((await run(['users', 'create', 'bob'])).exitCode).toBe(2);
  });
});
