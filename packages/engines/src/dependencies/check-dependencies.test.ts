import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNpmAdvisoryClient, createOsvAdvisoryClient } from './advisory-clients.ts';
import { applyDependencyEdits } from './apply-dependency-edits.ts';
import { checkDependencies, type CheckDependenciesOptions } from './check-dependencies.ts';
import type { DependencyReport } from './dependency-check-result.ts';
import { formatDependencyReport } from './format-dependency-report.ts';
import { createNpmRegistryClient } from './npm-registry-client.ts';
import { createPypiRegistryClient } from './pypi-registry-client.ts';
import { startRecordedRegistryServer, type RecordedRegistryServer } from './recorded-registry.ts';
import { rewriteInstallCommands } from './rewrite-install-commands.ts';

const recorded = fileURLToPath(new URL('../../fixtures/dependencies/registry', import.meta.url));
// chart.js 4.6.1 was published 2026-10-22: three days before this clock, so it is too young.
const now = '2026-10-25T00:00:00Z';
let server: RecordedRegistryServer;

beforeAll(async () => {
  server = await startRecordedRegistryServer(recorded);
});
afterAll(async () => {
  await server.close();
});

function check(
  input: Omit<CheckDependenciesOptions, 'registry'> & { options?: CheckDependenciesOptions['options'] },
) {
  return checkDependencies({
    registry: [
      createNpmRegistryClient({ registryUrl: server.npmRegistryUrl }),
      createPypiRegistryClient({ indexUrl: server.pypiIndexUrl }),
    ],
    advisories: [
      createNpmAdvisoryClient({ registryUrl: server.npmRegistryUrl }),
      createOsvAdvisoryClient({ apiUrl: server.osvApiUrl }),
    ],
    ...input,
    options: { now, ...input.options },
  });
}

/** Asymmetric matchers typed as what they stand for, so objects that hold them stay typed. */
const matching = (pattern: RegExp) => expect.stringMatching(pattern) as string;
const containing = (shape: Record<string, unknown>) =>
  expect.objectContaining(shape) as Record<string, unknown>;

const verdict = (report: DependencyReport | undefined, name: string) =>
  report?.verdicts.find((item) => item.check === name);

describe('the charting-library scenario', () => {
  const manifest = `{
  "name": "dashboard",
  "private": true,
  "dependencies": {
    "chart.js": "4.0.0-alpha.3",
    "react": "^18.2.0"
  }
}
`;

  it('rewrites a pinned chart.js pre-release to the newest mature stable version, with the reason', async () => {
    const result = await check({
      manifests: [{ path: 'package.json', content: manifest }],
      options: { licenseAllowList: null },
    });
    const chart = result.dependencies.find((report) => report.name === 'chart.js');
    expect(chart).toMatchObject({ status: 'fail', declared: '4.0.0-alpha.3', resolved: '4.0.0-alpha.3' });
    expect(verdict(chart, 'prerelease')).toMatchObject({
      status: 'fail',
      reason: matching(/4\.0\.0-alpha\.3 is a pre-release.*stable line is 4\.6\.1/),
    });
    // 4.6.1 is newer but only three days old; 4.5.1 is the newest mature stable release.
    expect(chart?.recommendation).toMatchObject({ version: '4.5.1', range: '4.5.1', breaking: false });
    expect(result.edits).toEqual([
      containing({
        file: 'package.json',
        name: 'chart.js',
        line: 5,
        from: '4.0.0-alpha.3',
        to: '4.5.1',
        reason: matching(/pre-release/),
      }),
    ]);
    const fixed = applyDependencyEdits(manifest, result.edits);
    expect(fixed.content).toBe(manifest.replace('"4.0.0-alpha.3"', '"4.5.1"'));
    expect(fixed.skipped).toEqual([]);
    expect(result.partial).toBe(false);
  });

  it('keeps a caret range, and says why the newest release was passed over', async () => {
    const result = await check({
      manifests: [{ path: 'web/package.json', content: '{"dependencies": {"chart.js": "^4.0.0-alpha.3"}}' }],
    });
    const chart = result.dependencies[0];
    expect(chart?.resolved).toBe('4.6.1');
    expect(verdict(chart, 'release-age')).toMatchObject({
      status: 'fail',
      reason: matching(/released 2 days ago \(2026-10-22\); the minimum age is 7 days/),
    });
    expect(result.edits[0]).toMatchObject({ file: 'web/package.json', from: '^4.0.0-alpha.3', to: '^4.5.1' });
  });

  it('follows a configurable minimum age', async () => {
    const result = await check({
      manifests: [{ path: 'package.json', content: '{"dependencies": {"chart.js": "^4.0.0-alpha.3"}}' }],
      options: { minimumReleaseAgeDays: 400 },
    });
    // Only releases before 2025-09-20 are old enough: 4.5.0 (2025-06-14).
    expect(result.dependencies[0]?.recommendation?.version).toBe('4.5.0');
  });

  it('stays on the declared major for a 3.x beta and reports the majors behind', async () => {
    const result = await check({
      manifests: [{ path: 'package.json', content: '{"dependencies": {"chart.js": "~3.0.0-beta.13"}}' }],
    });
    const chart = result.dependencies[0];
    expect(chart?.recommendation).toMatchObject({ version: '3.9.1', breaking: false });
    expect(result.edits[0]?.to).toBe('~3.9.1');
  });

  it('rewrites `npm install chart.js@beta` in a model answer', async () => {
    const answer = 'Run:\n\n```sh\nnpm install chart.js@beta react@^18.2.0\n```\n';
    const result = await check({ code: answer, options: { licenseAllowList: null } });
    const chart = result.dependencies.find((report) => report.name === 'chart.js');
    expect(verdict(chart, 'exists')).toMatchObject({
      status: 'fail',
      reason: matching(/No published version .* satisfies "beta"/),
    });
    expect(chart?.recommendation?.installCommand).toEqual({
      argument: 'chart.js@^4.5.1',
      text: 'npm install chart.js@^4.5.1 react@^18.2.0',
    });
    const rewritten = rewriteInstallCommands(answer, result);
    expect(rewritten.text).toBe(answer.replace('chart.js@beta', 'chart.js@^4.5.1'));
    expect(rewritten.changes).toEqual([
      containing({ name: 'chart.js', from: 'chart.js@beta', to: 'chart.js@^4.5.1' }),
    ]);
  });
});

describe('checks', () => {
  it('flags hallucinated and typosquatted names, and suggests the real one', async () => {
    const code =
      "import upload from 'react-native-secure-file-upload-helper';\nimport _ from 'lodahs';\nimport env from 'crossenv';\n";
    const result = await check({ code });
    const [hallucinated, lodahs, crossenv] = result.dependencies;
    expect(hallucinated).toMatchObject({ status: 'fail', source: { codeRange: { start: 20, end: 58 } } });
    expect(verdict(hallucinated, 'exists')?.reason).toMatch(
      /does not exist on npm; it may be a hallucinated name/,
    );
    expect(verdict(lodahs, 'exists')?.reason).toMatch(/no installable versions.*Did you mean "lodash"/);
    expect(verdict(lodahs, 'typosquat')).toMatchObject({ status: 'fail', details: { target: 'lodash' } });
    expect(verdict(crossenv, 'exists')?.reason).toMatch(/security holding package.*Did you mean "cross-env"/);
    const rewritten = rewriteInstallCommands(code, result);
    expect(rewritten.text).toBe(code);
  });

  it("fails deprecated packages with npm's message", async () => {
    const result = await check({
      manifests: [{ path: 'package.json', content: '{"dependencies": {"request": "^2.88.0"}}' }],
    });
    expect(verdict(result.dependencies[0], 'deprecated')).toMatchObject({
      status: 'fail',
      reason:
        '2.88.2 is deprecated: "request has been deprecated, see https://github.com/request/request/issues/3142"',
    });
    // Every version is deprecated: nothing to recommend, no edit.
    expect(result.dependencies[0]?.recommendation).toBeUndefined();
    expect(result.edits).toEqual([]);
  });

  it('fails versions with known advisories and recommends the first fixed one (npm bulk + OSV)', async () => {
    const result = await check({
      manifests: [{ path: 'package.json', content: '{"dependencies": {"lodash": "4.17.15"}}' }],
    });
    const lodash = result.dependencies[0];
    const advisory = verdict(lodash, 'advisory');
    expect(advisory?.status).toBe('fail');
    expect(advisory?.reason).toMatch(
      /GHSA-p6mc-m468-83gw high: Prototype Pollution in lodash \[>=3\.7\.0 <4\.17\.19\]/,
    );
    expect(advisory?.reason).toMatch(/GHSA-35jh-r3h4-6jhm/);
    // The npm and OSV copies of GHSA-35jh-r3h4-6jhm are merged.
    expect(advisory?.details?.advisories?.filter((item) => item.id === 'GHSA-35jh-r3h4-6jhm')).toHaveLength(
      1,
    );
    expect(lodash?.recommendation).toMatchObject({ version: '4.18.1', breaking: false });
  });

  it('checks requirements.txt: advisories, yanked releases and PEP 440 pre-releases', async () => {
    const requirements =
      'PyYAML==5.3\nrequests==2.32.0\nDjango==5.1rc1  # try the new release\ntinydb>=4.8\n';
    const result = await check({
      manifests: [{ path: 'requirements.txt', content: requirements }],
      options: { runtime: { python: '3.12.1' } },
    });
    const [pyyaml, requests, django, tinydb] = result.dependencies;
    expect(verdict(pyyaml, 'advisory')?.reason).toMatch(
      /GHSA-8q59-q68h-6hv4 \(CVE-2020-14343\) critical: Improper Input Validation in PyYAML \[<5\.4\]/,
    );
    expect(pyyaml?.recommendation).toMatchObject({ version: '5.4.1', range: '==5.4.1', breaking: false });
    expect(verdict(requests, 'deprecated')?.reason).toMatch(
      /2\.32\.0 was yanked from PyPI: "Yanked due to conflicts with CVE-2024-35195 mitigation"/,
    );
    expect(requests?.recommendation?.range).toBe('==2.32.3');
    expect(verdict(django, 'prerelease')?.status).toBe('fail');
    expect(django?.recommendation?.range).toBe('==5.1.1');
    expect(tinydb).toMatchObject({ status: 'pass', resolved: '4.8.2' });
    expect(applyDependencyEdits(requirements, result.edits).content).toBe(
      'PyYAML==5.4.1\nrequests==2.32.3\nDjango==5.1.1  # try the new release\ntinydb>=4.8\n',
    );
  });

  it('checks pyproject.toml (PEP 621 and Poetry) and requires_python against the runtime', async () => {
    const pyproject =
      '[project]\nname = "x"\ndependencies = [\n  "numpy>=2.0",\n]\n\n[tool.poetry.dependencies]\npython = "^3.9"\nPyYAML = "^5.3"\n';
    const result = await check({
      manifests: [{ path: 'pyproject.toml', content: pyproject }],
      options: { runtime: { python: '3.9.18' } },
    });
    const [numpy, pyyaml] = result.dependencies;
    // numpy 2.1.3 needs Python >=3.10; 2.0.0 still runs on 3.9.
    expect(verdict(numpy, 'runtime')).toMatchObject({
      status: 'fail',
      reason: matching(/requires Python ">=3\.10"; the project runs Python 3\.9\.18/),
    });
    expect(numpy?.recommendation).toMatchObject({ version: '2.0.0', range: '>=2.0.0' });
    expect(pyyaml?.resolved).toBe('5.4.1');
    expect(verdict(pyyaml, 'advisory')?.status).toBe('pass');
    expect(verdict(pyyaml, 'major-behind')?.status).toBe('warn');
  });

  it('fails engines.node incompatible with the runtime and offers the newest compatible major', async () => {
    const result = await check({
      manifests: [{ path: 'package.json', content: '{"devDependencies": {"vite": "^5.4.0"}}' }],
      options: { runtime: { node: 'v16.20.2' } },
    });
    const vite = result.dependencies[0];
    expect(verdict(vite, 'runtime')?.reason).toMatch(
      /5\.4\.11 requires Node "\^18\.0\.0 \|\| >=20\.0\.0" \(engines\.node\); the project runs Node 16\.20\.2/,
    );
    expect(vite?.recommendation).toMatchObject({ version: '4.5.3', range: '^4.5.3', breaking: true });
  });

  it("finds peer dependency conflicts among the manifest's own dependencies", async () => {
    const result = await check({
      manifests: [
        { path: 'package.json', content: '{"dependencies": {"react": "17.0.2", "react-dom": "^18.2.0"}}' },
      ],
    });
    const reactDom = result.dependencies.find((report) => report.name === 'react-dom');
    expect(verdict(reactDom, 'peer-dependencies')).toMatchObject({
      status: 'fail',
      reason: matching(/react-dom@18\.3\.1 needs peer react@\^18\.3\.1 \(the project has 17\.0\.2\)/),
    });
    expect(reactDom?.recommendation).toMatchObject({ version: '17.0.2', breaking: true });
  });

  it('warns about licenses outside the allow-list', async () => {
    const result = await check({
      manifests: [{ path: 'package.json', content: '{"dependencies": {"chart.js": "4.5.1"}}' }],
      options: { licenseAllowList: ['Apache-2.0'] },
    });
    expect(verdict(result.dependencies[0], 'license')).toMatchObject({
      status: 'warn',
      reason: 'License "MIT" is not on the allow-list (Apache-2.0).',
    });
    expect(result.dependencies[0]?.status).toBe('warn');
    expect(result.edits).toEqual([]);
  });

  it('uses the lockfile version of direct dependencies and checks locked transitive packages', async () => {
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { lodash: '^4.17.0' } },
        'node_modules/lodash': { version: '4.17.21' },
        'node_modules/request': { version: '2.88.2' },
      },
    });
    const result = await check({
      manifests: [
        { path: 'package.json', content: '{"dependencies": {"lodash": "^4.17.0"}}' },
        { path: 'package-lock.json', content: lock },
      ],
    });
    expect(
      result.dependencies.map((report) => `${report.name}@${report.resolved ?? ''}:${report.origin}`),
    ).toEqual(['lodash@4.17.21:manifest', 'request@2.88.2:lockfile']);
    expect(result.dependencies[0]?.status).toBe('pass');
    expect(result.dependencies[1]?.status).toBe('fail');
    expect(result.warnings).toContain(
      '1 locked package failed a check; lockfiles are not edited: update or replace them with `npm update <name>` or an override.',
    );
  });

  it('formats a readable report', async () => {
    const result = await check({
      manifests: [
        {
          path: 'package.json',
          content: '{"dependencies": {"chart.js": "4.0.0-alpha.3", "lodahs": "1.0.0"}}',
        },
      ],
    });
    const text = formatDependencyReport(result);
    expect(text.split('\n')[0]).toBe('Dependencies: 2 checked, 2 fail, 0 warn, 0 pass');
    expect(text).toMatch(
      /FAIL chart\.js 4\.0\.0-alpha\.3 \(resolves to 4\.0\.0-alpha\.3\) \[npm, package\.json:1\]/,
    );
    expect(text).toMatch(/-> use 4\.5\.1: 4\.5\.1 is the newest version/);
    expect(text).toMatch(/package\.json:1 chart\.js: "4\.0\.0-alpha\.3" -> "4\.5\.1"/);
  });

  it('reads the manifests of a project directory', async () => {
    const root = fileURLToPath(new URL('../../fixtures/dependencies/projects/dashboard', import.meta.url));
    const result = await check({ projectRoot: root });
    expect(result.dependencies.map((report) => report.name).sort()).toEqual(['PyYAML', 'chart.js', 'react']);
    expect(result.edits.map((edit) => `${edit.file}:${edit.name}:${edit.to}`).sort()).toEqual([
      'package.json:chart.js:^4.5.1',
      'requirements.txt:PyYAML:==5.4.1',
    ]);
  });
});
