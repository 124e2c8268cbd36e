import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';
import { startCliTestServer, type CliTestServer } from '../testing/start-cli-test-server.ts';

describe('plumb models', () => {
  let server: CliTestServer;

  beforeAll(async () => {
    server = await startCliTestServer();
  });
  afterAll(async () => server.close());

  it('prints the list the server offers as JSON with --json', async () => {
    const result = await runCapturedProgram(['models', '--json'], { environment: server.environment });
    expect(result.exitCode).toBe(0);
    const list = JSON.parse(result.stdout) as {
      object: string;
      data: Array<{ id: string; owned_by: string }>;
    };
    expect(list.object).toBe('list');
    expect(list.data.map((model) => [model.id, model.owned_by])).toEqual([
      ['scripted/scripted-model', 'scripted'],
    ]);
  });

  it('prints a table of id and owner, reaching the server named by --url with --api-key', async () => {
    const apiKey = server.environment.PLUMB_API_KEY ?? '';
    const result = await runCapturedProgram(['models', '--url', server.plumb.url, '--api-key', apiKey]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^ID\s+OWNED BY$/);
    expect(result.stdout).toMatch(/^scripted\/scripted-model\s+scripted$/m);
  });

  it('exits 1 with the error code when no server answers', async () => {
    const url = await closedPortUrl();
    const result = await runCapturedProgram(['models'], { environment: { PLUMB_URL: url } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error connection_error: .*127\.0\.0\.1/);
    expect(result.stderr).not.toContain('--help');
  });
});

/** A URL on a port that was free a moment ago, so nothing answers there. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
