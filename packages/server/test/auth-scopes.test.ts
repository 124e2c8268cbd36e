import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKeyStore } from '../src/auth/oauth/signing-key-store.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/http/create-logger.ts';
import { startServer } from '../src/start-server.ts';
import { errorOf, startAuthTestServer, type AuthTestServer } from './auth-test-server.ts';

describe('auth: scopes by route and session ownership', () => {
  let auth: AuthTestServer;

  beforeAll(async () => {
    auth = await startAuthTestServer();
  });
  afterAll(async () => auth.close());

  const chatBody = (mode: 'code' | 'chat', extra: object = {}) => ({
    model: auth.model,
    mode,
    messages: [{ role: 'user', content: 'Hi' }],
    ...extra,
  });

  it('mode chat needs code:read, mode code needs code:write (also on the /v1 alias)', async () => {
    const reader = await auth.createKey(['code:read']);
    const writer = await auth.createKey(['code:write']);
    expect(
      (await auth.call('POST', '/v3/chat/completions', { token: reader, body: chatBody('chat') })).status,
    ).toBe(200);
    const denied = await auth.call('POST', '/v3/chat/completions', { token: reader, body: chatBody('code') });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="code:write"',
    );
    expect(
      (await auth.call('POST', '/v3/chat/completions', { token: writer, body: chatBody('code') })).status,
    ).toBe(200);
    const writerChat = await auth.call('POST', '/v3/chat/completions', {
      token: writer,
      body: chatBody('chat'),
    });
    expect(writerChat.status).toBe(403);
    expect(writerChat.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="code:read"',
    );

    const alias = await auth.call('POST', '/v1/chat/completions', {
      token: writer,
      body: { model: auth.model, messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(alias.status).toBe(403);
    expect((await auth.call('POST', '/v1/chat/completions', { body: {} })).status).toBe(401);
  });

  it('keeps sessions apart between principals (session_not_found, never a hint)', async () => {
    const alice = await auth.createKey(['code:read', 'code:write']);
    const bob = await auth.createKey(['code:read', 'code:write']);
    const created = await auth.call('POST', '/v3/sessions', { token: alice, body: {} });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await auth.call('GET', `/v3/sessions/${id}`, { token: alice })).status).toBe(200);

    const peek = await auth.call('GET', `/v3/sessions/${id}`, { token: bob });
    expect(peek.status).toBe(404);
    expect(errorOf(peek.body).code).toBe('session_not_found');
    const hijack = await auth.call('POST', '/v3/chat/completions', {
      token: bob,
      body: chatBody('chat', { session_id: id }),
    });
    expect(hijack.status).toBe(404);
    expect(errorOf(hijack.body).code).toBe('session_not_found');
    expect((await auth.call('DELETE', `/v3/sessions/${id}`, { token: bob })).status).toBe(404);
    expect((await auth.call('DELETE', `/v3/sessions/${id}`, { token: alice })).status).toBe(200);
  });

  it('keeps sessions of two users of one OAuth client apart', async () => {
    const store = createSigningKeyStore(auth.server.plumb.storage);
    const jwk = (await store.getSigningJwks()).keys[0]!;
    const key = await importJWK(jwk, 'ES256');
    const tokenFor = (sub: string) =>
      new SignJWT({ client_id: 'plumb-cli', scope: 'code:read' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid! })
        .setIssuer(`${auth.url}/oauth`)
        .setAudience(`${auth.url}/v3`)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
    const first = await auth.call('POST', '/v3/sessions', { token: await tokenFor('user-1'), body: {} });
    expect(first.status).toBe(201);
    const path = `/v3/sessions/${String(first.body.id)}`;
    expect((await auth.call('GET', path, { token: await tokenFor('user-1') })).status).toBe(200);
    expect((await auth.call('GET', path, { token: await tokenFor('user-2') })).status).toBe(404);
  });

  it('has a rule for every registered route', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'plumb-auth-routes-'));
    const capture = (level: string) => {
      const stream = new PassThrough();
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      return { logger: createLogger({ level, destination: stream }), text: () => text };
    };
    try {
      const on = capture('warn');
      const server = await startServer(
        loadConfig({ environment: {}, overrides: { port: 0, dataDirectory } }),
        { logger: on.logger },
      );
      await server.close();
      expect(on.text()).not.toContain('route-scopes.ts');

      // The same capture does see warnings: with auth off the server warns at start.
      const off = capture('warn');
      const open = await startServer(
        loadConfig({ environment: {}, overrides: { port: 0, dataDirectory, insecureNoAuth: true } }),
        { logger: off.logger },
      );
      const models = await fetch(`${open.url}/v3/models`);
      await open.close();
      expect(models.status).toBe(200);
      expect(off.text()).toContain('Authentication is OFF');
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  });
});

describe('auth: --insecure-no-auth', () => {
  it('is refused on a non-loopback host with a configuration error', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      expect(() =>
        loadConfig({ environment: {}, overrides: { host, dataDirectory: '/tmp/x', insecureNoAuth: true } }),
      ).toThrow(/only allowed on a loopback host/);
    }
    expect(() =>
      loadConfig({
        environment: { PLUMB_AUTH_MODE: 'off', PLUMB_HOST: '0.0.0.0' },
        overrides: { dataDirectory: '/tmp/x' },
      }),
    ).toThrow(/only allowed on a loopback host/);
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      const config = loadConfig({
        environment: {},
        overrides: { host, dataDirectory: '/tmp/x', insecureNoAuth: true },
      });
      expect(config.auth.mode).toBe('off');
    }
  });

  it('auth is on by default; API keys default on in development and off in production', () => {
    const development = loadConfig({ environment: {}, overrides: { dataDirectory: '/tmp/x' } });
    expect(development.auth).toMatchObject({ mode: 'on', apiKeys: 'on' });
    const production = loadConfig({
      environment: { PLUMB_PROFILE: 'production' },
      overrides: { dataDirectory: '/tmp/x' },
    });
    expect(production.auth.apiKeys).toBe('off');
    const forced = loadConfig({
      environment: { PLUMB_PROFILE: 'production', PLUMB_API_KEYS: 'on' },
      overrides: { dataDirectory: '/tmp/x' },
    });
    expect(forced.auth.apiKeys).toBe('on');
  });
});
