import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server.ts';

describe('health, readiness, models, OpenAPI and docs', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('reports liveness and readiness (storage and the scripted model reachable)', async () => {
    expect(await (await fetch(`${server.plumb.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.plumb.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      storage: { ok: true, detail: 'sqlite' },
      providers: { scripted: { reachable: true } },
    });
  });

  it('lists models as provider/model-id', async () => {
    const list = (await (await fetch(`${server.plumb.url}/v3/models`)).json()) as {
      object: string;
      data: Array<{ id: string; owned_by: string }>;
    };
    expect(list.object).toBe('list');
    expect(list.data).toEqual([
      expect.objectContaining({ id: 'scripted/scripted-model', owned_by: 'scripted', object: 'model' }),
    ]);
  });

  it('publishes an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const document = (await (await fetch(`${server.plumb.url}/v3/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: {
        schemas: {
          ChatCompletionRequest: { required: string[]; properties: Record<string, { enum?: string[] }> };
        };
      };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/v3/chat/completions');
    const request = document.components.schemas.ChatCompletionRequest;
    expect(request.required).toEqual(expect.arrayContaining(['model', 'mode', 'messages']));
    expect(request.properties.mode?.enum).toEqual(['code', 'chat']);
  });

  it('serves a docs page', async () => {
    const response = await fetch(`${server.plumb.url}/docs`, { redirect: 'follow' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});
