import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDependencies } from './check-dependencies.ts';
import { createRecordedRegistryClient } from './recorded-registry.ts';

const recorded = fileURLToPath(new URL('../../fixtures/dependencies/registry', import.meta.url));
const registry = [
  createRecordedRegistryClient(recorded, { ecosystem: 'npm' }),
  createRecordedRegistryClient(recorded, { ecosystem: 'pypi' }),
];

describe('every pre-release and too-young version is caught', () => {
  it.each([
    ['npm exact pre-release', 'package.json', '{"dependencies": {"chart.js": "4.0.0-alpha.3"}}'],
    ['npm caret on a pre-release', 'package.json', '{"dependencies": {"chart.js": "^3.0.0-beta.13"}}'],
    ['npm tilde on an rc', 'package.json', '{"dependencies": {"chart.js": "~3.0.0-rc.7"}}'],
    [
      'npm "-release" suffix (still a semver pre-release)',
      'package.json',
      '{"dependencies": {"chart.js": "4.0.0-release"}}',
    ],
    ['npm dist-tag that does not exist', 'package.json', '{"dependencies": {"chart.js": "beta"}}'],
    ['PEP 440 release candidate', 'requirements.txt', 'Django==5.1rc1\n'],
    ['PEP 440 alpha lower bound', 'requirements.txt', 'Django>=5.1a1,<5.2\n'],
    ['PEP 440 pre-release of numpy 2', 'requirements.txt', 'numpy==2.0.0rc2\n'],
    ['Poetry pre-release pin', 'pyproject.toml', '[tool.poetry.dependencies]\nDjango = "5.1b1"\n'],
  ])('%s', async (_label, file, content) => {
    const result = await checkDependencies({
      manifests: [{ path: file, content }],
      registry,
      options: { now: '2026-11-01T00:00:00Z', licenseAllowList: null },
    });
    const report = result.dependencies[0];
    expect(report?.status).toBe('fail');
    expect(
      report?.verdicts.some(
        (verdict) =>
          (verdict.check === 'prerelease' || verdict.check === 'exists') && verdict.status === 'fail',
      ),
    ).toBe(true);
    expect(report?.recommendation).toBeDefined();
    expect(result.edits).toHaveLength(1);
  });

  it.each([
    [
      'npm latest published 2 days before',
      '2026-10-24T00:00:00Z',
      'package.json',
      '{"dependencies": {"chart.js": "^4.4.0"}}',
      '^4.5.1',
    ],
    [
      'npm exact pin published the same day',
      '2026-10-22T20:00:00Z',
      'package.json',
      '{"dependencies": {"chart.js": "4.6.1"}}',
      '4.5.1',
    ],
    ['PyPI release 3 days old', '2024-12-04T00:00:00Z', 'requirements.txt', 'httpx>=0.27\n', '>=0.27.2'],
  ])('%s', async (_label, now, file, content, expected) => {
    const result = await checkDependencies({
      manifests: [{ path: file, content }],
      registry,
      options: { now, licenseAllowList: null },
    });
    const report = result.dependencies[0];
    expect(report?.verdicts.find((verdict) => verdict.check === 'release-age')?.status).toBe('fail');
    expect(result.edits[0]?.to).toBe(expected);
  });

  it("lets a minimum age of 0 accept yesterday's release", async () => {
    const result = await checkDependencies({
      manifests: [{ path: 'package.json', content: '{"dependencies": {"chart.js": "4.6.1"}}' }],
      registry,
      options: { now: '2026-10-23T00:00:00Z', minimumReleaseAgeDays: 0, licenseAllowList: null },
    });
    expect(result.dependencies[0]?.status).toBe('pass');
  });
});
