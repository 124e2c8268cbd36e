import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeSystemPrompt } from '@plumb/models';
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

interface UpstreamBody {
  messages: { role: string; content: unknown }[];
  tools?: { function: { name: string } }[];
}

interface RepositoryReport {
  name: string;
  revision: number;
  map_tokens: number;
  definitions_shown: number;
  tool_calls: { name: string; arguments: unknown; result: Record<string, unknown> }[];
}

/** Tokens as the repo map counts them (characters / 4), independent of the server's code. */
const tokensOf = (text: string) => Math.ceil(text.length / 4);

describe('chat completions with a repository in context', () => {
  let auth: AuthTestServer;
  let writer: string;
  let stranger: string;

  beforeAll(async () => {
    auth = await startAuthTestServer();
    writer = await auth.createKey(['code:read', 'code:write']);
    stranger = await auth.createKey(['code:read', 'code:write']);
    const upload = await auth.call('PUT', '/v3/code-graph/repositories/shop', {
      token: writer,
      body: { files: filesOf(monolith).filter((file) => /\.(ts|json|md)$/.test(file.path)) },
    });
    expect(upload.status).toBe(200);
  }, 120_000);
  afterAll(async () => auth.close());

  const upstreamBodies = () =>
    auth.server.scripted.requests
      .filter((request) => request.path.endsWith('/chat/completions'))
      .map((request) => request.body as UpstreamBody);

  it('gives the model a ranked repo map within the token budget, after the code prompt and before the caller’s system message', async () => {
    const ask = async (tokenBudget: number) => {
      auth.server.scripted.reset();
      auth.server.scripted.enqueue({ text: 'CheckoutService.place prices the cart first.' });
      const response = await auth.call('POST', '/v3/chat/completions', {
        token: writer,
        body: {
          model: auth.model,
          mode: 'code',
          repository: { name: 'shop', token_budget: tokenBudget },
          messages: [
            { role: 'system', content: 'Answer in two sentences.' },
            {
              role: 'user',
              content: 'What does `CheckoutService.placeOrder` do before charging the customer?',
            },
          ],
        },
      });
      expect(response.status).toBe(200);
      const [upstream] = upstreamBodies();
      return { response, upstream: upstream! };
    };

    const { response, upstream } = await ask(400);
    expect(upstream.messages.map((message) => message.role)).toEqual(['system', 'system', 'system', 'user']);
    expect(upstream.messages[0]?.content).toBe(codeSystemPrompt.text);
    expect(upstream.messages[2]?.content).toBe('Answer in two sentences.');
    const map = upstream.messages[1]?.content as string;
    expect(map).toContain('Repository map of "shop"');
    expect(tokensOf(map)).toBeLessThanOrEqual(400);
    // Focused on the identifier the user named: its file comes first, with its signature.
    const firstFile = map.split('\n').find((line) => line.endsWith(':') && !line.startsWith(' '));
    expect(firstFile).toBe('src/orders/checkout-service.ts:');
    expect(map).toMatch(/^ {2}class CheckoutService$/m);
    expect(map).toMatch(/^ {4}async placeOrder\(request: CheckoutRequest\): Promise<CheckoutResult>$/m);
    expect(upstream.tools?.map((tool) => tool.function.name)).toEqual(['explain_code']);

    const report = (response.body.plumb as { repository: RepositoryReport }).repository;
    expect(report).toMatchObject({ name: 'shop', tool_calls: [] });
    expect(report.revision).toBeGreaterThan(0);
    expect(report.map_tokens).toBe(tokensOf(map));
    expect(report.definitions_shown).toBeGreaterThan(3);

    // A larger budget shows more of the repository, still within it.
    const larger = await ask(3000);
    const largerMap = larger.upstream.messages[1]?.content as string;
    const largerReport = (larger.response.body.plumb as { repository: RepositoryReport }).repository;
    expect(tokensOf(largerMap)).toBeLessThanOrEqual(3000);
    expect(largerReport.definitions_shown).toBeGreaterThan(report.definitions_shown);
    expect(largerMap).toContain('src/billing/');
  });

  it('runs the explain tool the model calls and hands it CheckoutService’s facts', async () => {
    auth.server.scripted.reset();
    auth.server.scripted.enqueue(
      {
        toolCalls: [
          { id: 'call_1', name: 'explain_code', arguments: '{"target":"CheckoutService"}' },
          { id: 'call_2', name: 'explain_code', arguments: '{"target":"InventoryLedgerGizmo"}' },
        ],
      },
      { text: 'CheckoutService turns a cart into an order; POST /checkout reaches it.' },
    );
    const response = await auth.call('POST', '/v3/chat/completions', {
      token: writer,
      body: {
        model: auth.model,
        mode: 'chat',
        repository: 'shop',
        messages: [
          { role: 'user', content: 'Explain the role of the checkout in src/orders/checkout-service.ts' },
        ],
      },
    });
    expect(response.status).toBe(200);
    const choices = response.body.choices as { message: { content: string } }[];
    expect(choices[0]?.message.content).toContain('turns a cart into an order');

    const report = (response.body.plumb as { repository: RepositoryReport }).repository;
    expect(report.tool_calls.map((call) => call.arguments)).toEqual([
      { target: 'CheckoutService' },
      { target: 'InventoryLedgerGizmo' },
    ]);
    const facts = report.tool_calls[0]!.result as {
      target: { id: string; at: string };
      purpose: string;
      dependencies: { id: string }[];
      dependents: { id: string }[];
    };
    expect(facts.target).toMatchObject({
      id: 'src/orders/checkout-service.ts#CheckoutService',
      at: 'src/orders/checkout-service.ts:49',
    });
    expect(facts.purpose).toContain('Turns a cart into an order');
    expect(facts.dependencies.map((dependency) => dependency.id)).toContain(
      'src/orders/cart-service.ts#CartService',
    );
    expect(facts.dependencies.length).toBeLessThanOrEqual(8);
    expect(JSON.stringify(facts)).not.toContain('flowchart');
    expect(report.tool_calls[1]?.result).toMatchObject({ error: { code: 'symbol_not_found' } });

    // The model got the facts as tool messages answering its calls, then answered.
    const upstream = upstreamBodies();
    expect(upstream).toHaveLength(2);
    const toolMessages = upstream[1]!.messages.filter((message) => message.role === 'tool');
    expect(toolMessages).toHaveLength(2);
    expect(JSON.stringify(toolMessages[0]?.content)).toContain('src/orders/cart-service.ts#CartService');
    // In chat mode the map is the first message.
    expect(upstream[1]!.messages[0]?.content).toEqual(expect.stringContaining('Repository map of "shop"'));
  });

  it('answers 404 for a repository the caller never uploaded, and for another caller’s', async () => {
    for (const [token, name] of [
      [writer, 'no-such-repository'],
      [stranger, 'shop'],
    ] as const) {
      auth.server.scripted.reset();
      const response = await auth.call('POST', '/v3/chat/completions', {
        token,
        body: {
          model: auth.model,
          mode: 'code',
          repository: { name },
          messages: [{ role: 'user', content: 'Explain CheckoutService' }],
        },
      });
      expect(response.status).toBe(404);
      expect(errorOf(response.body).code).toBe('repository_not_found');
      expect(upstreamBodies()).toHaveLength(0);
    }
    const invalid = await auth.call('POST', '/v3/chat/completions', {
      token: writer,
      body: {
        model: auth.model,
        mode: 'code',
        repository: { name: 'shop', token_budget: 100_000 },
        messages: [{ role: 'user', content: 'hi' }],
      },
    });
    expect(invalid.status).toBe(400);
  });

  it('needs code:read to read the repository, even with code:write', async () => {
    const writeOnly = await auth.createKey(['code:write']);
    const response = await auth.call('POST', '/v3/chat/completions', {
      token: writeOnly,
      body: {
        model: auth.model,
        mode: 'code',
        repository: 'shop',
        messages: [{ role: 'user', content: 'Explain CheckoutService.' }],
      },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="code:read"');
  });

  it('streams with the map in context but no tool rounds', async () => {
    auth.server.scripted.reset();
    auth.server.scripted.enqueue({ text: 'The checkout lives in src/orders.' });
    const response = await fetch(`${auth.url}/v3/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: auth.model,
        mode: 'code',
        stream: true,
        repository: { name: 'shop', token_budget: 300, focus_files: ['src/orders/checkout-service.ts'] },
        messages: [{ role: 'user', content: 'Where is the checkout?' }],
      }),
    });
    expect(response.status).toBe(200);
    const chunks = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
      .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>);
    const text = chunks
      .flatMap((chunk) =>
        (chunk.choices as { delta: { content?: string } }[]).map((choice) => choice.delta.content ?? ''),
      )
      .join('');
    expect(text).toBe('The checkout lives in src/orders.');
    const last = chunks.findLast((chunk) => chunk.plumb !== undefined);
    expect((last?.plumb as { repository: RepositoryReport }).repository).toMatchObject({
      name: 'shop',
      tool_calls: [],
    });

    const upstream = upstreamBodies();
    expect(upstream).toHaveLength(1);
    expect(upstream[0]?.tools).toBeUndefined();
    const map = upstream[0]?.messages[1]?.content as string;
    expect(map).toContain('Repository map of "shop"');
    expect(map).not.toContain('explain_code');
    // Ranked for the focus file: what checkout-service.ts uses is on the map.
    expect(map).toMatch(/^src\/orders\/order-state-machine\.ts:\n {2}class OrderStateMachine$/m);
    expect(tokensOf(map)).toBeLessThanOrEqual(300);
  });
});
