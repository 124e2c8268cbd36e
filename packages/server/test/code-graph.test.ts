import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startAuthTestServer, type AuthTestServer } from './auth-test-server.ts';

const monolith = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../engines/fixtures/monolith');

function filesOf(root: string, directory = ''): { path: string; content: string }[] {
  return readdirSync(path.join(root, directory)).flatMap((name) => {
    const relative = directory === '' ? name : `${directory}/${name}`;
    if (statSync(path.join(root, relative)).isDirectory()) return filesOf(root, relative);
    return [{ path: relative, content: readFileSync(path.join(root, relative), 'utf8') }];
  });
}

interface Explanation {
  target: { id: string; path: string; line: number };
  dependencies: { unit: { id: string }; at: { path: string; line: number }[] }[];
  dependents: { unit: { id: string } }[];
  entryPoints: { kind: string; at: { path: string; line: number } }[];
  tests: { path: string }[];
  markdown: string;
  diagram: string;
  narrative?: string;
  compute_units: number;
}

describe('the code graph over HTTP', () => {
  let auth: AuthTestServer;
  let reader: string;
  let other: string;

  beforeAll(async () => {
    auth = await startAuthTestServer();
    reader = await auth.createKey(['code:read']);
    other = await auth.createKey(['code:read']);
    const upload = await auth.call('PUT', '/v3/code-graph/repositories/shop', {
      token: reader,
      body: { files: filesOf(monolith).filter((file) => /\.(ts|json|md)$/.test(file.path)) },
    });
    expect(upload.status).toBe(200);
  }, 120_000);
  afterAll(async () => auth.close());

  it('indexes an upload, and re-indexes only the files a change set touches', async () => {
    const summary = await auth.call('GET', '/v3/code-graph/repositories/shop', { token: reader });
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ name: 'shop' });
    expect((summary.body.languages as Record<string, number>).typescript).toBeGreaterThan(50);
    expect(summary.body.definitions).toBeGreaterThan(300);

    const change = await auth.call('PUT', '/v3/code-graph/repositories/shop', {
      token: reader,
      body: {
        files: [
          {
            path: 'src/orders/gift-wrap.ts',
            content:
              "import { CheckoutService } from './checkout-service';\n/** Wraps gifts. */\nexport function wrap(checkout: CheckoutService) {\n  return checkout.preview({ customerId: 'c', cartId: 'x' } as never);\n}\n",
          },
        ],
      },
    });
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ parsed: 1, removed: 0 });
    expect(change.body.compute_units).toBeGreaterThan(0);
  });

  it('explains a symbol with cited dependencies, dependents, routes and tests', async () => {
    const { status, body } = await auth.call('POST', '/v3/explain', {
      token: reader,
      body: { repository: 'shop', target: 'CheckoutService', limit: 50 },
    });
    expect(status).toBe(200);
    const explanation = body as unknown as Explanation;
    expect(explanation.target).toMatchObject({
      id: 'src/orders/checkout-service.ts#CheckoutService',
      line: 49,
    });
    expect(explanation.dependencies.map((relation) => relation.unit.id)).toContain(
      'src/billing/invoice-service.ts#InvoiceService',
    );
    expect(explanation.dependents.map((relation) => relation.unit.id)).toEqual(
      expect.arrayContaining([
        'src/http/order-routes.ts#registerOrderRoutes',
        'src/orders/gift-wrap.ts#wrap',
      ]),
    );
    expect(explanation.entryPoints.map((entry) => `${entry.at.path}:${entry.at.line}`)).toContain(
      'src/http/order-routes.ts:56',
    );
    expect(explanation.tests.map((test) => test.path)).toContain('tests/checkout-service.test.ts');
    expect(explanation.markdown).toContain('# CheckoutService (class)');
    expect(explanation.diagram).toMatch(/^flowchart LR/);
    expect(explanation.compute_units).toBeGreaterThan(0);
  });

  it('has a model write the narrative from the facts, striking citations it invents', async () => {
    auth.server.scripted.enqueue({
      text: 'CheckoutService (src/orders/checkout-service.ts:49) places orders. It also talks to Mars (src/mars.ts:7).',
    });
    const { status, body } = await auth.call('POST', '/v3/explain', {
      token: reader,
      body: { repository: 'shop', target: 'CheckoutService', model: auth.model },
    });
    expect(status).toBe(200);
    expect(body.narrative).toContain('src/orders/checkout-service.ts:49');
    expect(body.narrative).not.toContain('src/mars.ts:7');
    expect(JSON.stringify(body.warnings)).toContain('src/mars.ts:7');
    const prompt = JSON.stringify(auth.server.scripted.requests.at(-1)?.body);
    expect(prompt).toContain('src/orders/checkout-service.ts');
  });

  it('analyses the architecture with diagrams and layer rules', async () => {
    const { status, body } = await auth.call('POST', '/v3/architecture/analyses', {
      token: reader,
      body: {
        repository: 'shop',
        level: 'folder',
        layers: {
          layers: { http: ['src/http/**'], shared: ['src/shared/**'] },
          forbidden: ['shared -> http'],
        },
        diagrams: ['mermaid', 'svg'],
      },
    });
    expect(status).toBe(200);
    expect((body.modules as unknown[]).length).toBeGreaterThan(5);
    expect((body.diagrams as { mermaid: string; svg: string }).svg).toMatch(/<svg/);
    expect((body.diagrams as { mermaid: string }).mermaid).toContain('src/orders');
  });

  it('proposes services with metrics, interfaces and cut edges', async () => {
    const { status, body } = await auth.call('POST', '/v3/architecture/decompositions', {
      token: reader,
      body: { repository: 'shop', services: 5, seed: 2 },
    });
    expect(status).toBe(200);
    const result = body as {
      services: { name: string; members: string[] }[];
      cutEdges: unknown[];
      metrics: Record<string, number>;
    };
    expect(result.services).toHaveLength(5);
    expect(result.cutEdges.length).toBeGreaterThan(0);
    expect(Object.keys(result.metrics)).toEqual(expect.arrayContaining(['sm', 'icp', 'ifn', 'ned']));
    const checkout = result.services.find((service) =>
      service.members.includes('src/orders/checkout-service.ts#CheckoutService'),
    );
    expect(checkout?.members).toContain('src/orders/order-repository.ts#OrderRepository');

    const badTrace = await auth.call('POST', '/v3/architecture/decompositions', {
      token: reader,
      body: { repository: 'shop', traces: { calls: [{ from: 'a', to: 'b', count: 'many' }] } },
    });
    expect(badTrace.status).toBe(400);
    expect(errorOf(badTrace.body).message).toContain('traces.calls.0.count');
  });

  it('keeps callers apart: another key cannot see the repository', async () => {
    const { status, body } = await auth.call('POST', '/v3/explain', {
      token: other,
      body: { repository: 'shop', target: 'CheckoutService' },
    });
    expect(status).toBe(404);
    expect(errorOf(body).code).toBe('repository_not_found');
  });

  it('answers bad input with clear errors', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/v3/explain', { repository: 'shop', target: 'NoSuchThingAnywhere' }, 404, 'symbol_not_found'],
      ['POST', '/v3/explain', { repository: 'shop', target: 'insert' }, 409, 'symbol_ambiguous'],
      ['POST', '/v3/explain', { repository: 'shop' }, 400, 'invalid_request'],
      ['POST', '/v3/explain', { repository: '../etc', target: 'x' }, 400, 'invalid_request'],
      ['POST', '/v3/explain', { repository: 'shop', target: 42 }, 400, 'invalid_request'],
      [
        'PUT',
        '/v3/code-graph/repositories/shop',
        { files: [{ path: '../../evil.ts', content: 'x' }] },
        400,
        'invalid_request',
      ],
      [
        'PUT',
        '/v3/code-graph/repositories/shop',
        { files: [{ path: '/etc/passwd', content: 'x' }] },
        400,
        'invalid_request',
      ],
      ['PUT', '/v3/code-graph/repositories/shop', { files: [] }, 400, 'invalid_request'],
      [
        'PUT',
        '/v3/code-graph/repositories/bad%20name',
        { files: [{ path: 'a.ts', content: '' }] },
        400,
        'invalid_request',
      ],
      [
        'POST',
        '/v3/architecture/analyses',
        { repository: 'shop', layers: { layers: {}, forbidden: ['nope'] } },
        400,
        'invalid_request',
      ],
      ['GET', '/v3/code-graph/repositories/never-uploaded', undefined, 404, 'repository_not_found'],
    ];
    for (const [method, url, body, status, code] of cases) {
      const response = await auth.call(method, url, {
        token: reader,
        ...(body === undefined ? {} : { body }),
      });
      expect([url, response.status, errorOf(response.body).code]).toEqual([url, status, code]);
    }
  });

  it('indexes binary, broken and unsupported files without failing the upload', async () => {
    const { status, body } = await auth.call('PUT', '/v3/code-graph/repositories/odd', {
      token: reader,
      body: {
        files: [
          { path: 'src/ok.ts', content: 'export function ok() { return 1; }\n' },
          { path: 'src/broken.ts', content: 'export function broken( {\n  return ;\n' },
          { path: 'src/blob.ts', content: 'abc\u0000def' },
          { path: 'notes.txt', content: 'hello' },
          { path: 'src/"; DROP TABLE code_graph_files; --.py', content: 'def f():\n    return 1\n' },
        ],
      },
    });
    expect(status).toBe(200);
    expect(body.unsupported).toMatchObject({ '.txt': 1 });
    expect(JSON.stringify(body.skipped)).toContain('src/blob.ts');
    expect(JSON.stringify(body.warnings)).toContain('broken.ts');
    const explained = await auth.call('POST', '/v3/explain', {
      token: reader,
      body: { repository: 'odd', target: 'f' },
    });
    expect(explained.status).toBe(200);
    const deleted = await auth.call('DELETE', '/v3/code-graph/repositories/odd', { token: reader });
    expect(deleted.status).toBe(200);
    const gone = await auth.call('GET', '/v3/code-graph/repositories/odd', { token: reader });
    expect(gone.status).toBe(404);
  });

  it('needs the code:read scope', async () => {
    const usageOnly = await auth.createKey(['usage:read']);
    const { status, headers } = await auth.call('POST', '/v3/explain', {
      token: usageOnly,
      body: { repository: 'shop', target: 'CheckoutService' },
    });
    expect(status).toBe(403);
    expect(headers.get('www-authenticate')).toContain('insufficient_scope');
  });
});
