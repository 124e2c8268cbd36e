import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthTestServer, type AuthTestServer } from './auth-test-server.ts';

const source = `/**
 * The number of whole pages needed for \`total\` items.
 * @param total number of items, a non-negative integer
 * @param pageSize items per page, between 1 and 100
 * @example pageCount(10, 5) // => 2
 */
export function pageCount(total: number, pageSize: number): number {
  return Math.floor(total / pageSize) + 1;
}
`;

describe('POST /v3/test-vectors', () => {
  let auth: AuthTestServer;
  let debugKey: string;

  beforeAll(async () => {
    auth = await startAuthTestServer();
    debugKey = await auth.createKey(['code:debug']);
  });
  afterAll(async () => auth.close());

  const request = (body: unknown, token = debugKey) => auth.call('POST', '/v3/test-vectors', { token, body });

  it('executes and judges vectors, with paths of the caller and a Markdown summary, billed in Compute Units', async () => {
    const response = await request({
      source,
      language: 'typescript',
      filename: 'src/pages.ts',
      seed: 4,
      budget: 30,
      property_runs: 5,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'test_vector_result',
      language: 'typescript',
      file: 'src/pages.ts',
      seed: 4,
      mode: 'standard',
    });
    const findings = response.body.findings as { kind: string }[];
    expect(findings.map((finding) => finding.kind)).toContain('example-mismatch');
    expect(response.body.summary_markdown).toMatch(/^# Test vectors for pages\.ts/);
    expect(JSON.stringify(response.body)).not.toContain('plumb-vectors-');
    expect(response.body.compute_units).toBeGreaterThan(0);
    const admin = await auth.createKey();
    const usage = await auth.call('GET', '/v3/usage?group_by=operation', { token: admin });
    const results = (
      usage.body.data as { results: { operation: string; compute_units: number }[] }[]
    ).flatMap((bucket) => bucket.results);
    expect(
      results.find((result) => result.operation === 'test_vectors.execute')?.compute_units,
    ).toBeGreaterThan(0);
  });

  it('returns emitted test files when asked, which needs code:write as well', async () => {
    const denied = await request({ source, language: 'typescript', emit: true });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="code:write"',
    );
    const writer = await auth.createKey(['code:debug', 'code:write']);
    const response = await request(
      { source, language: 'typescript', filename: 'src/pages.ts', emit: true, budget: 10, property_runs: 0 },
      writer,
    );
    expect(response.status).toBe(200);
    const files = response.body.files as { path: string; contents: string }[];
    expect(files.map((file) => file.path)).toEqual([
      'test/vectors/pages.vectors.test.ts',
      'test/vectors/plumb-value-codec.ts',
      'test/vectors/plumb-encoded-value.ts',
    ]);
    expect(files[0]?.contents).toContain('import * as subject from "../../src/pages.ts"');
  });

  it("needs code:debug: it executes the caller's code", async () => {
    const reader = await auth.createKey(['code:read', 'code:write']);
    const response = await request({ source, language: 'typescript' }, reader);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="code:debug"',
    );
  });

  it('answers bad input with a clear error and a code', async () => {
    const cases: [unknown, number, string, RegExp][] = [
      [{ source: '', language: 'typescript' }, 400, 'invalid_request', /source is empty/],
      [{ source, language: 'cobol' }, 400, 'invalid_request', /language/],
      [{ source: 42, language: 'typescript' }, 400, 'invalid_request', /source/],
      [
        { source, language: 'typescript', filename: '../../etc/passwd' },
        400,
        'invalid_request',
        /relative path/,
      ],
      [
        { source: 'export function broken(a: number {', language: 'typescript' },
        422,
        'source_syntax_error',
        /module\.ts:1:/,
      ],
      [
        { source, language: 'typescript', functions: ['missing'] },
        404,
        'function_not_found',
        /Available: pageCount/,
      ],
      [
        { source: 'throw new Error("boom");\nexport const x = 1;', language: 'typescript' },
        422,
        'source_import_failed',
        /boom/,
      ],
      [
        { source: "'; DROP TABLE usage_events; --", language: 'python' },
        422,
        'source_syntax_error',
        /line 1/,
      ],
    ];
    for (const [body, status, code, message] of cases) {
      const response = await request(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      const error = response.body.error as { code: string; message: string };
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
    // The server is still fine.
    expect((await auth.call('GET', '/healthz')).status).toBe(200);
  });
});
