import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRecordedRegistryServer, type RecordedRegistryServer } from '@plumb/engines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthTestServer, type AuthTestServer } from './auth-test-server.ts';

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../engines/fixtures/dependencies',
);

describe('dependency checks over HTTP and the dependency guard', () => {
  let registry: RecordedRegistryServer;
  let auth: AuthTestServer;
  let key: string;

  beforeAll(async () => {
    registry = await startRecordedRegistryServer(path.join(fixtures, 'registry'));
    auth = await startAuthTestServer({
      environment: {
        PLUMB_DEPENDENCY_GUARD: 'on',
        PLUMB_NPM_REGISTRY: registry.npmRegistryUrl,
        PLUMB_PYPI_URL: registry.pypiIndexUrl,
        PLUMB_OSV_URL: registry.osvApiUrl,
      },
    });
    key = await auth.createKey(['code:read', 'code:write']);
  });
  afterAll(async () => {
    await auth.close();
    await registry.close();
  });

  it('POST /v3/dependencies/check rewrites a chart.js pre-release to the newest mature stable version', async () => {
    const manifest = JSON.stringify(
      { name: 'dashboard', dependencies: { 'chart.js': '^4.0.0-alpha.3' } },
      null,
      2,
    );
    const response = await auth.call('POST', '/v3/dependencies/check', {
      token: key,
      body: { manifests: [{ path: 'package.json', content: manifest }], fix: true },
    });
    expect(response.status).toBe(200);
    const dependencies = response.body.dependencies as {
      name: string;
      status: string;
      verdicts: { check: string; status: string }[];
    }[];
    expect(dependencies[0]).toMatchObject({ name: 'chart.js', status: 'fail' });
    expect(dependencies[0]?.verdicts).toContainEqual(
      expect.objectContaining({ check: 'prerelease', status: 'fail' }),
    );
    const fixed = response.body.fixed_manifests as { path: string; content: string }[];
    const rewritten = JSON.parse(fixed[0]?.content ?? '{}') as { dependencies: Record<string, string> };
    expect(rewritten.dependencies['chart.js']).toMatch(/^\^4\.\d+\.\d+$/);
    expect(response.body.compute_units).toBeGreaterThan(0);
  });

  it('answers malformed manifests with their location, and empty requests clearly', async () => {
    const broken = await auth.call('POST', '/v3/dependencies/check', {
      token: key,
      body: { manifests: [{ path: 'pyproject.toml', content: '[project\ndependencies = ["x"]' }] },
    });
    expect(broken.status).toBe(422);
    expect(broken.body).toMatchObject({ error: { code: 'manifest_invalid' } });
    expect(JSON.stringify(broken.body)).toContain('pyproject.toml');
    const empty = await auth.call('POST', '/v3/dependencies/check', { token: key, body: {} });
    expect(empty.status).toBe(400);
  });

  it('rewrites install commands in a generated answer and flags a package that does not exist', async () => {
    auth.server.scripted.enqueue({
      text: [
        'Install the chart library and the upload helper:',
        '',
        '```sh',
        'npm install chart.js@4.0.0-rc.1 react-native-secure-file-upload-helper',
        '```',
      ].join('\n'),
    });
    const response = await auth.call('POST', '/v3/chat/completions', {
      token: key,
      body: { model: auth.model, mode: 'code', messages: [{ role: 'user', content: 'Add a chart.' }] },
    });
    expect(response.status).toBe(200);
    const completion = response.body as {
      choices: { message: { content: string } }[];
      plumb: {
        guards: { guard: string; action: string; findings: { message: string; severity: string }[] }[];
      };
    };
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).not.toContain('chart.js@4.0.0-rc.1');
    expect(content).toMatch(/chart\.js@\^?4\.\d+\.\d+/);
    const report = completion.plumb.guards.find((guard) => guard.guard === 'dependencies');
    expect(report?.action).toBe('rewrite');
    const flagged = report?.findings.filter(
      (finding) =>
        finding.severity === 'error' && finding.message.includes('react-native-secure-file-upload-helper'),
    );
    expect(flagged).toHaveLength(1);
  });

  it('rewrites a pre-release pinned in a package.json the answer writes', async () => {
    auth.server.scripted.enqueue({
      text: [
        'Add the chart library to the dashboard:',
        '',
        '```json path=package.json',
        '{',
        '  "name": "dashboard",',
        '  "dependencies": { "chart.js": "4.0.0-rc.1", "express": "^4.21.2" }',
        '}',
        '```',
      ].join('\n'),
    });
    const response = await auth.call('POST', '/v3/chat/completions', {
      token: key,
      body: { model: auth.model, mode: 'code', messages: [{ role: 'user', content: 'Add a chart.' }] },
    });
    expect(response.status).toBe(200);
    const completion = response.body as {
      choices: { message: { content: string } }[];
      plumb: { guards: { guard: string; action: string; findings: { message: string }[] }[] };
    };
    const content = completion.choices[0]?.message.content ?? '';
    const manifest = /```json path=package\.json\n([\s\S]*?)```/.exec(content)?.[1] ?? '';
    const rewritten = JSON.parse(manifest) as { dependencies: Record<string, string> };
    expect(rewritten.dependencies['chart.js']).toMatch(/^\^?4\.\d+\.\d+$/);
    expect(rewritten.dependencies.express).toBe('^4.21.2');
    const report = completion.plumb.guards.find((guard) => guard.guard === 'dependencies');
    expect(report?.action).toBe('rewrite');
    expect(JSON.stringify(report?.findings)).toContain('chart.js');
  });
});
