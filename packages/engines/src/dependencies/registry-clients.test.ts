import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlumbError } from '@plumb/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryAffects, createNpmAdvisoryClient, createOsvAdvisoryClient } from './advisory-clients.ts';
import { createNpmRegistryClient, encodeNpmName } from './npm-registry-client.ts';
import { createPypiRegistryClient, normalizePypiName } from './pypi-registry-client.ts';
import {
  createRecordedRegistryClient,
  startRecordedRegistryServer,
  type RecordedRegistryServer,
} from './recorded-registry.ts';
import { runRegistryClientContract } from './registry-client.contract.ts';
import { resolveNpmRegistryUrl } from './resolve-npm-registry-url.ts';

const recorded = fileURLToPath(new URL('../../fixtures/dependencies/registry', import.meta.url));
let server: RecordedRegistryServer;
let cacheRoot: string;

beforeAll(async () => {
  server = await startRecordedRegistryServer(recorded);
  cacheRoot = await mkdtemp(path.join(os.tmpdir(), 'plumb-registry-cache-'));
});
afterAll(async () => {
  await server.close();
  await rm(cacheRoot, { recursive: true, force: true });
});

const fresh = async () => mkdtemp(path.join(cacheRoot, 'case-'));

describe('npm client over a local recorded registry (real HTTP)', () => {
  runRegistryClientContract({
    create: async () =>
      createNpmRegistryClient({
        registryUrl: server.npmRegistryUrl,
        cacheDirectory: await fresh(),
        backoffBaseMs: 1,
      }),
    existing: 'chart.js',
    missing: 'react-native-secure-file-upload-helper',
    alternateSpelling: '@babel/core',
  });
});

describe('npm client over recorded documents without a network', () => {
  runRegistryClientContract({
    create: () => createRecordedRegistryClient(recorded, { ecosystem: 'npm' }),
    existing: 'lodash',
    missing: 'lodash-utils',
    alternateSpelling: '@types/node',
  });
});

describe('PyPI client over a local recorded index (real HTTP)', () => {
  runRegistryClientContract({
    create: async () =>
      createPypiRegistryClient({
        indexUrl: server.pypiIndexUrl,
        cacheDirectory: await fresh(),
        backoffBaseMs: 1,
      }),
    existing: 'PyYAML',
    missing: 'flask-jwt-auth-manager',
    alternateSpelling: 'Python_Dateutil',
  });
});

describe('PyPI client over recorded documents without a network', () => {
  runRegistryClientContract({
    create: () => createRecordedRegistryClient(recorded, { ecosystem: 'pypi' }),
    existing: 'requests',
    missing: 'py-openai-toolkit',
  });
});

describe('npm client behaviour', () => {
  it('normalizes deprecation, engines, peers, license and publish times from a full packument', async () => {
    const client = createNpmRegistryClient({ registryUrl: server.npmRegistryUrl });
    const request = await client.getPackage('request');
    const latest = request?.versions.find((version) => version.version === '2.88.2');
    expect(latest?.deprecated).toBe(
      'request has been deprecated, see https://github.com/request/request/issues/3142',
    );
    expect(latest?.engines).toEqual({ node: '>= 6' });
    expect(latest?.license).toBe('Apache-2.0');
    expect(latest?.publishedAt).toBe('2020-02-11T16:35:46.532Z');
    const reactDom = await client.getPackage('react-dom');
    expect(reactDom?.versions.find((version) => version.version === '18.2.0')?.peerDependencies).toEqual({
      react: '^18.2.0',
    });
  });

  it('asks for abbreviated metadata when publish times are not needed, and full packuments when they are', async () => {
    const seen: string[] = [];
    const client = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers).get('accept') ?? '');
        return fetch(input, init);
      },
    });
    const abbreviated = await client.getPackage('chart.js', { needPublishTimes: false });
    expect(seen[0]).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
    expect(abbreviated?.hasPublishTimes).toBe(false);
    expect(abbreviated?.versions.length).toBeGreaterThan(10);
    const full = await client.getPackage('chart.js');
    expect(seen[1]).toBe('application/json');
    expect(full?.hasPublishTimes).toBe(true);
  });

  it('requests scoped names as @scope%2fname', async () => {
    expect(encodeNpmName('@babel/core')).toBe('@babel%2Fcore');
    const urls: string[] = [];
    const client = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      fetch: (input, init) => {
        urls.push(input instanceof Request ? input.url : input.toString());
        return fetch(input, init);
      },
    });
    expect((await client.getPackage('@babel/core'))?.name).toBe('@babel/core');
    expect(urls[0]).toBe(`${server.npmRegistryUrl}@babel%2Fcore`);
  });

  it('revalidates with If-None-Match and counts a 304 as a cache answer', async () => {
    const directory = await fresh();
    const first = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      cacheDirectory: directory,
      cacheMaxAgeMs: 0,
    });
    const original = await first.getPackage('lodash');
    // A second client shares only the disk cache: it must send the ETag and get 304 back.
    const second = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      cacheDirectory: directory,
      cacheMaxAgeMs: 0,
    });
    const again = await second.getPackage('lodash');
    expect(again).toEqual(original);
    expect(second.stats()).toMatchObject({ requests: 1, notModified: 1 });
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    server.injectFaults('/npm/vite', [503, 429, 500]);
    const client = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      backoffBaseMs: 5,
      retries: 3,
    });
    const started = performance.now();
    const document = await client.getPackage('vite');
    expect(document?.name).toBe('vite');
    expect(client.stats()).toMatchObject({ requests: 4, retries: 3 });
    // Three waits of at least 5, 10 and 20 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('waits as long as a 429 Retry-After asks, up to the configured cap', async () => {
    server.injectFaults('/npm/debug', [429]);
    const client = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      backoffBaseMs: 1,
      maxRetryAfterMs: 300,
    });
    const started = performance.now();
    expect((await client.getPackage('debug'))?.name).toBe('debug');
    // Retry-After: 1 (second), capped at 300 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives up after the bounded retries with registry_unavailable', async () => {
    server.injectFaults('/npm/react', [502, 502, 502]);
    const client = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      backoffBaseMs: 1,
      retries: 2,
    });
    const error = await client.getPackage('react').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlumbError);
    expect((error as PlumbError).code).toBe('registry_unavailable');
    expect((error as PlumbError).message).toMatch(/after 3 attempts \(HTTP 502\)/);
    expect(client.stats().requests).toBe(3);
  });

  it('times out a request that never answers, and retries it', async () => {
    server.injectFaults('/npm/express', ['timeout']);
    const client = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      timeoutMs: 750,
      backoffBaseMs: 1,
      retries: 1,
    });
    const document = await client.getPackage('express');
    expect(document?.name).toBe('express');
    expect(client.stats().retries).toBe(1);
  });

  it('survives a connection reset', async () => {
    server.injectFaults('/npm/axios', ['reset']);
    const client = createNpmRegistryClient({ registryUrl: server.npmRegistryUrl, backoffBaseMs: 1 });
    expect((await client.getPackage('axios'))?.name).toBe('axios');
  });

  it('reports a body that is not JSON as registry_unavailable, not a crash', async () => {
    server.injectFaults('/npm/chalk', ['malformed']);
    const client = createNpmRegistryClient({ registryUrl: server.npmRegistryUrl, backoffBaseMs: 1 });
    await expect(client.getPackage('chalk')).rejects.toThrow(/not JSON/);
  });

  it('answers from the cache only when offline, and refuses what is not cached', async () => {
    const directory = await fresh();
    await createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      cacheDirectory: directory,
    }).getPackage('semver');
    const offline = createNpmRegistryClient({
      registryUrl: 'http://127.0.0.1:9/',
      cacheDirectory: directory,
      offline: true,
    });
    // The URL differs, so nothing is cached for it.
    await expect(offline.getPackage('semver')).rejects.toMatchObject({ code: 'registry_unavailable' });
    const sameRegistry = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      cacheDirectory: directory,
      offline: true,
    });
    expect((await sameRegistry.getPackage('semver'))?.name).toBe('semver');
    expect(sameRegistry.stats().requests).toBe(0);
    await expect(sameRegistry.getPackage('debug')).rejects.toThrow(/Offline/);
  });

  it('treats a torn cache file as a miss', async () => {
    const directory = await fresh();
    const client = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      cacheDirectory: directory,
      cacheMaxAgeMs: 0,
    });
    await client.getPackage('ms');
    const { readdir } = await import('node:fs/promises');
    for (const file of await readdir(directory)) await writeFile(path.join(directory, file), '{"url":');
    const again = createNpmRegistryClient({ registryUrl: server.npmRegistryUrl, cacheDirectory: directory });
    expect((await again.getPackage('ms'))?.name).toBe('ms');
    expect(again.stats().requests).toBe(1);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let active = 0;
    let peak = 0;
    const slow = createServer((_request, response) => {
      active += 1;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active -= 1;
        response.writeHead(404).end();
      }, 20);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const address = slow.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = createNpmRegistryClient({ registryUrl: `http://127.0.0.1:${port}/`, concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, index) => client.getPackage(`package-${index}`)));
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
    expect(peak).toBe(3);
  });
});

describe('resolveNpmRegistryUrl', () => {
  it('follows npm: environment, then project .npmrc, then user .npmrc, then the default', async () => {
    const project = await fresh();
    const home = await fresh();
    expect(resolveNpmRegistryUrl({ environment: {}, projectRoot: project, homeDirectory: home })).toBe(
      'https://registry.npmjs.org/',
    );
    await writeFile(
      path.join(home, '.npmrc'),
      '@corp:registry=https://corp.example/\nregistry=https://user.example/npm\n',
    );
    expect(resolveNpmRegistryUrl({ environment: {}, projectRoot: project, homeDirectory: home })).toBe(
      'https://user.example/npm/',
    );
    await writeFile(path.join(project, '.npmrc'), '; comment\nregistry = "http://project.example:4873"\n');
    expect(resolveNpmRegistryUrl({ environment: {}, projectRoot: project, homeDirectory: home })).toBe(
      'http://project.example:4873/',
    );
    expect(
      resolveNpmRegistryUrl({
        environment: { npm_config_registry: 'http://env.example/' },
        projectRoot: project,
        homeDirectory: home,
      }),
    ).toBe('http://env.example/');
  });
});

describe('PyPI client behaviour', () => {
  it('normalizes names the PEP 503 way and reads releases, yanked flags and requires_python', async () => {
    expect(normalizePypiName('Python__Dateutil')).toBe('python-dateutil');
    const client = createPypiRegistryClient({ indexUrl: server.pypiIndexUrl });
    const requests = await client.getPackage('Requests');
    expect(requests?.distTags.latest).toBe('2.32.3');
    const yanked = requests?.versions.find((version) => version.version === '2.32.0');
    expect(yanked).toMatchObject({
      yanked: true,
      yankedReason: 'Yanked due to conflicts with CVE-2024-35195 mitigation',
      requiresPython: '>=3.8',
    });
    expect(yanked?.publishedAt).toBe('2024-05-20T12:00:00.000000Z');
  });
});

describe('advisory clients', () => {
  it('asks the npm bulk endpoint and keeps GHSA ids, severities and ranges', async () => {
    const client = createNpmAdvisoryClient({ registryUrl: server.npmRegistryUrl });
    const answer = await client.getAdvisories([
      { ecosystem: 'npm', name: 'lodash', versions: ['4.17.15'] },
      { ecosystem: 'pypi', name: 'x', versions: ['1'] },
    ]);
    const advisories = answer.get('npm:lodash') ?? [];
    expect(advisories.map((advisory) => advisory.id).sort()).toEqual([
      'GHSA-29mw-wpgm-hmr9',
      'GHSA-35jh-r3h4-6jhm',
      'GHSA-p6mc-m468-83gw',
    ]);
    expect(advisories.every((advisory) => advisoryAffects(advisory, '4.17.15', 'npm'))).toBe(true);
    expect(advisories.some((advisory) => advisoryAffects(advisory, '4.17.21', 'npm'))).toBe(false);
    expect(answer.has('pypi:x')).toBe(false);
  });

  it('asks OSV querybatch, then the vulnerability details, for PyPI and npm', async () => {
    const client = createOsvAdvisoryClient({ apiUrl: server.osvApiUrl });
    const answer = await client.getAdvisories([
      { ecosystem: 'pypi', name: 'PyYAML', versions: ['5.3'] },
      { ecosystem: 'npm', name: 'lodash', versions: ['4.17.20'] },
      { ecosystem: 'pypi', name: 'tinydb', versions: ['4.8.2'] },
    ]);
    const pyyaml = answer.get('pypi:PyYAML') ?? [];
    expect(pyyaml.map((advisory) => advisory.id).sort()).toEqual([
      'GHSA-6757-jp84-gxfx',
      'GHSA-8q59-q68h-6hv4',
    ]);
    const fullLoad = pyyaml.find((advisory) => advisory.id === 'GHSA-8q59-q68h-6hv4');
    expect(fullLoad).toMatchObject({
      severity: 'critical',
      fixedIn: '5.4',
      aliases: ['CVE-2020-14343', 'PYSEC-2021-142'],
    });
    expect(fullLoad && advisoryAffects(fullLoad, '5.3.1', 'pypi')).toBe(true);
    expect(fullLoad && advisoryAffects(fullLoad, '5.4', 'pypi')).toBe(false);
    expect(answer.get('npm:lodash')?.[0]?.id).toBe('GHSA-35jh-r3h4-6jhm');
    expect(answer.get('pypi:tinydb')).toEqual([]);
  });
});
