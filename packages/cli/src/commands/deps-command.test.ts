import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRecordedRegistryServer, type RecordedRegistryServer } from '@plumb/engines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../engines/fixtures/dependencies',
);
const directory = mkdtempSync(path.join(tmpdir(), 'plumb-deps-cli-'));
let registry: RecordedRegistryServer;
let environment: Record<string, string>;

beforeAll(async () => {
  // Recorded registry documents served over real HTTP: the same client code as against the real registries.
  registry = await startRecordedRegistryServer(path.join(fixtures, 'registry'));
  environment = {
    npm_config_registry: registry.npmRegistryUrl,
    PLUMB_PYPI_URL: registry.pypiIndexUrl,
    PLUMB_OSV_URL: registry.osvApiUrl,
  };
});
afterAll(async () => {
  await registry.close();
  rmSync(directory, { recursive: true, force: true });
});

const run = (args: string[]) =>
  runCapturedProgram(['deps', 'check', ...args, '--cache-dir', path.join(directory, 'cache')], {
    environment,
  });

describe('plumb deps check', () => {
  it('flags a pre-release of chart.js and --fix rewrites it to the newest mature stable version', async () => {
    const project = path.join(directory, 'dashboard');
    cpSync(path.join(fixtures, 'projects', 'dashboard'), project, { recursive: true });
    const report = await run([project]);
    expect(report.exitCode).toBe(1);
    expect(report.stdout).toContain('chart.js');
    expect(report.stdout).toMatch(/pre-?release/i);
    const fixed = await run([project, '--fix', '--json']);
    const result = JSON.parse(fixed.stdout) as { edits: { name: string; to: string }[] };
    const edit = result.edits.find((entry) => entry.name === 'chart.js');
    expect(edit?.to).toMatch(/^\^?4\.\d+\.\d+$/);
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['chart.js']).toBe(edit?.to);
    expect(fixed.stderr).toContain('fixed package.json');
  });

  it('reports a hallucinated package as nonexistent and exits 1', async () => {
    const manifest = path.join(directory, 'package.json');
    writeFileSync(
      manifest,
      JSON.stringify({ dependencies: { 'react-native-secure-file-upload-helper': '^1.0.0' } }),
    );
    const report = await run([manifest, '--json']);
    expect(report.exitCode).toBe(1);
    const result = JSON.parse(report.stdout) as {
      dependencies: { name: string; status: string; verdicts: { check: string; status: string }[] }[];
    };
    const dependency = result.dependencies[0];
    expect(dependency?.status).toBe('fail');
    expect(dependency?.verdicts).toContainEqual(expect.objectContaining({ check: 'exists', status: 'fail' }));
  });

  it('is a usage error for a malformed manifest (with its location) or a missing path', async () => {
    const broken = path.join(directory, 'broken', 'package.json');
    cpSync(path.join(fixtures, 'projects', 'dashboard'), path.dirname(broken), { recursive: true });
    writeFileSync(broken, '{ "dependencies": { "react": "^18.2.0", } }');
    const report = await run([broken]);
    expect(report.exitCode).toBe(2);
    expect(report.stderr).toContain('manifest_invalid');
    expect(report.stderr).toMatch(/package\.json:1:\d+/);
    expect((await run([path.join(directory, 'nope')])).exitCode).toBe(2);
  });
});
