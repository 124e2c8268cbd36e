import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyCacheMs, loadConfig, startServer, type RunningServer } from '@plumb/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';

describe('plumb keys (on the data directory of a running server)', () => {
  let dataDirectory: string;
  let server: RunningServer;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'plumb-keys-test-'));
    server = await startServer(
      loadConfig({ environment: {}, overrides: { port: 0, dataDirectory, logLevel: 'silent' } }),
    );
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const run = (args: string[], environment: Record<string, string> = {}) =>
    runCapturedProgram(args, { environment: { PLUMB_DATA_DIR: dataDirectory, ...environment } });

  it('creates a key the running server accepts at once, lists it, and revokes it (refused within a second)', async () => {
    const created = await run(['keys', 'create', '--name', 'me', '--scopes', 'code:read,code:write']);
    expect(created.exitCode).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^plb_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('not shown again');

    const remote = { PLUMB_URL: server.url, PLUMB_API_KEY: key };
    const models = await run(['models', '--json'], remote);
    expect(models.exitCode).toBe(0);
    const anonymous = await run(['models'], { PLUMB_URL: server.url });
    expect(anonymous.exitCode).toBe(1);
    expect(anonymous.stderr).toMatch(/^error unauthorized: No credentials/);

    const listed = await run(['keys', 'list', '--json']);
    const entry = (JSON.parse(listed.stdout) as { data: Array<Record<string, unknown>> }).data.find(
      (item) => item.prefix === key.slice(0, 12),
    );
    expect(entry).toMatchObject({ name: 'me', scopes: ['code:read', 'code:write'], revoked_at: null });
    expect(entry).not.toHaveProperty('key');
    expect(entry?.last_used_at).toEqual(expect.any(Number));
    const table = await run(['keys', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+PREFIX\s+SCOPES\s+EXPIRES\s+LAST USED\s+STATUS$/,
    );
    expect(table.stdout).toMatch(new RegExp(`^${String(entry?.id)}\\s+me\\s+.*active$`, 'm'));

    const revoked = await run(['keys', 'revoke', String(entry?.id)]);
    expect(revoked).toMatchObject({ exitCode: 0, stdout: `revoked ${String(entry?.id)}\n` });
    // The server remembers a key it looked up for apiKeyCacheMs; a revocation by another process lands after.
    await new Promise((resolve) => setTimeout(resolve, apiKeyCacheMs));
    const refused = await run(['models'], remote);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^error invalid_api_key: The API key plb_\S+ was revoked/);
    expect((await run(['keys', 'revoke', 'nope'])).exitCode).toBe(1);
  });

  it('creates an expiring key with --json, printing the key once', async () => {
    const created = await run([
      'keys',
      'create',
      '--name',
      'ci',
      '--scopes',
      'code:read',
      '--expires',
      '30d',
      '--json',
    ]);
    expect(created.exitCode).toBe(0);
    const body = JSON.parse(created.stdout) as { key: string; expires_at: number; object: string };
    expect(body.object).toBe('api_key');
    expect(body.key).toMatch(/^plb_/);
    expect(body.expires_at - Date.now() / 1000).toBeGreaterThan(30 * 86_400 - 60);
  });

  it('exits 2 for unknown scopes and unreadable durations', async () => {
    const scope = await run(['keys', 'create', '--name', 'x', '--scopes', 'code:read,root']);
    expect(scope.exitCode).toBe(2);
    expect(scope.stderr).toContain('Unknown scope root');
    const duration = await run([
      'keys',
      'create',
      '--name',
      'x',
      '--scopes',
      'code:read',
      '--expires',
      'soon',
    ]);
    expect(duration.exitCode).toBe(2);
    expect(duration.stderr).toContain('30d');
  });

  it('rotates the signing key: the new key is published beside the old one', async () => {
    const before = (await (await fetch(`${server.url}/oauth/jwks`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    const rotated = await run(['keys', 'rotate', '--json']);
    expect(rotated.exitCode).toBe(0);
    const { kid } = JSON.parse(rotated.stdout) as { kid: string };
    expect(before.keys.map((key) => key.kid)).not.toContain(kid);
  });
});
