import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmHighImpact } from 'npm-high-impact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNpmAdvisoryClient } from './advisory-clients.ts';
import { checkDependencies } from './check-dependencies.ts';
import { createNpmRegistryClient } from './npm-registry-client.ts';
import { createPypiRegistryClient } from './pypi-registry-client.ts';
import { startRecordedRegistryServer, type RecordedRegistryServer } from './recorded-registry.ts';
import { writeSyntheticProject } from './synthetic-lockfile.ts';

const recorded = fileURLToPath(new URL('../../fixtures/dependencies/registry', import.meta.url));
let server: RecordedRegistryServer;
let scratch: string;

beforeAll(async () => {
  server = await startRecordedRegistryServer(recorded);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'plumb-deps-bad-input-'));
});
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('malformed manifests', () => {
  const registry = () => createNpmRegistryClient({ registryUrl: server.npmRegistryUrl });

  it.each([
    [
      'package.json',
      '{\n  "dependencies": {\n    "react": "^18.2.0"\n    "vue": "^3.4.0"\n  }\n}\n',
      /^package\.json:4:5: not valid JSON/,
    ],
    ['package.json', '{"dependencies": "react"}', /^package\.json:1:2: "dependencies" must be an object/],
    [
      'package-lock.json',
      '{"lockfileVersion": 3, "packages": {',
      /^package-lock\.json:1:\d+: not valid JSON/,
    ],
    [
      'pyproject.toml',
      '[project]\ndependencies = [\n  "requests>=2",\n  "PyYAML==5.3"\n',
      /^pyproject\.toml:\d+:\d+: not valid TOML/,
    ],
    ['pyproject.toml', '[project]\ndependencies = ["PyYAML=>5.3"]\n', /^pyproject\.toml:2:\d+: /],
    ['requirements.txt', 'flask==3.0.3\nPyYAML ==\n', /^requirements\.txt:2:\d+: /],
    ['requirements.txt', 'flask\n>=1.0\n', /^requirements\.txt:2:1: .*does not start with a package name/],
  ])('%s %j is manifest_invalid with its location', async (file, content, message) => {
    await expect(
      checkDependencies({ manifests: [{ path: file, content }], registry: registry() }),
    ).rejects.toMatchObject({
      code: 'manifest_invalid',
      message: expect.stringMatching(message) as string,
    });
  });

  it('skips files it does not read, with a warning, and accepts empty input', async () => {
    const result = await checkDependencies({
      manifests: [{ path: 'Gemfile', content: "gem 'rails'" }],
      code: '',
      registry: registry(),
    });
    expect(result).toMatchObject({ dependencies: [], edits: [], partial: false });
    expect(result.warnings[0]).toMatch(/Gemfile: not a manifest this engine reads/);
  });
});

describe('registry failures', () => {
  it('marks packages whose lookups time out or keep failing as unknown, returns a partial result, never throws', async () => {
    server.injectFaults('/npm/react', ['timeout', 'timeout', 'timeout']);
    server.injectFaults('/npm/lodash', [503, 503, 503]);
    server.injectFaults('/npm/express', [500]);
    const registry = createNpmRegistryClient({
      registryUrl: server.npmRegistryUrl,
      timeoutMs: 1_000,
      retries: 2,
      backoffBaseMs: 5,
    });
    const started = performance.now();
    const result = await checkDependencies({
      manifests: [
        {
          path: 'package.json',
          content:
            '{"dependencies": {"react": "^18.2.0", "lodash": "^4.17.21", "express": "^5.0.0", "chart.js": "4.5.1"}}',
        },
      ],
      registry,
      options: { now: '2026-11-01T00:00:00Z' },
    });
    const elapsed = performance.now() - started;
    const status = Object.fromEntries(result.dependencies.map((report) => [report.name, report.status]));
    expect(status).toEqual({ react: 'unknown', lodash: 'unknown', express: 'pass', 'chart.js': 'pass' });
    expect(result.partial).toBe(true);
    expect(result.dependencies[0]?.verdicts[0]?.reason).toMatch(
      /after 3 attempts \(timed out after 1000 ms\)/,
    );
    expect(result.dependencies[1]?.verdicts[0]?.reason).toMatch(/after 3 attempts \(HTTP 503\)/);
    // Bounded: 3 attempts for each failing package, 2 for express, 1 for chart.js.
    expect(result.stats.requests).toBe(9);
    console.log(`timeouts and 5xx: ${Math.round(elapsed)} ms for 9 bounded requests`);
  });

  it('reports a dead advisory service as partial, keeping every other verdict', async () => {
    const result = await checkDependencies({
      manifests: [{ path: 'package.json', content: '{"dependencies": {"chart.js": "4.5.1"}}' }],
      registry: createNpmRegistryClient({ registryUrl: server.npmRegistryUrl }),
      advisories: createNpmAdvisoryClient({
        registryUrl: 'http://127.0.0.1:9/',
        retries: 1,
        backoffBaseMs: 1,
      }),
      options: { now: '2026-11-01T00:00:00Z' },
    });
    expect(result.partial).toBe(true);
    expect(result.dependencies[0]?.verdicts.find((verdict) => verdict.check === 'advisory')).toMatchObject({
      status: 'warn',
    });
    expect(result.warnings[0]).toMatch(/Advisories could not be fetched/);
  });

  it('marks packages of an ecosystem without a client as unknown', async () => {
    const result = await checkDependencies({
      manifests: [{ path: 'requirements.txt', content: 'flask==3.1.0\n' }],
      registry: createNpmRegistryClient({ registryUrl: server.npmRegistryUrl }),
    });
    expect(result.dependencies[0]).toMatchObject({
      status: 'unknown',
      verdicts: [{ check: 'registry', reason: expect.stringMatching(/no pypi registry client/) as string }],
    });
    expect(result.partial).toBe(true);
  });

  it('rejects a clock that is not a date', async () => {
    await expect(
      checkDependencies({
        registry: createPypiRegistryClient({ indexUrl: server.pypiIndexUrl }),
        options: { now: 'yesterday' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('a 10,000-dependency lockfile', () => {
  it('is parsed and checked against the local recorded registry in reasonable time', async () => {
    const registryDirectory = path.join(scratch, 'registry-10k');
    const names = npmHighImpact.slice(0, 10_000);
    const { lockfile, manifest } = await writeSyntheticProject(registryDirectory, names);
    const large = await startRecordedRegistryServer(registryDirectory);
    try {
      const started = performance.now();
      const result = await checkDependencies({
        manifests: [
          { path: 'package.json', content: manifest },
          { path: 'package-lock.json', content: lockfile },
        ],
        registry: createNpmRegistryClient({
          registryUrl: large.npmRegistryUrl,
          cacheDirectory: path.join(scratch, 'cache-10k'),
        }),
        options: { now: '2026-11-01T00:00:00Z' },
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `10,000-package lockfile (${(lockfile.length / 1e6).toFixed(1)} MB): ${result.dependencies.length} dependencies checked in ${seconds.toFixed(2)} s, ${result.stats.requests} requests (${(result.stats.requests / seconds).toFixed(0)}/s)`,
      );
      expect(result.dependencies).toHaveLength(10_000);
      expect(result.partial).toBe(false);
      expect(result.stats.requests).toBe(10_000);
      // Every 50th synthetic package is GPL: warned, not failed.
      expect(result.dependencies.filter((report) => report.status === 'warn').length).toBeGreaterThanOrEqual(
        200,
      );
    } finally {
      await large.close();
    }
  }, 300_000);
});
