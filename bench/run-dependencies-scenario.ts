import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { npmHighImpact } from 'npm-high-impact';
import {
  checkDependencies,
  createNpmRegistryClient,
  createRecordedRegistryClient,
  startRecordedRegistryServer,
  writeSyntheticProject,
  type DependencyReport,
  type Ecosystem,
} from '@plumb/engines';
import { checkTarget, formatNumber, type ScenarioReport, type TargetCheck } from './scenario-report.ts';
import { repositoryRoot } from './start-child-server.ts';

const run = promisify(execFile);
const fixtures = path.join(repositoryRoot, 'packages/engines/fixtures/dependencies');

interface NameEntry {
  name: string;
  ecosystem: Ecosystem;
  kind: 'popular' | 'obscure' | 'typosquat' | 'hallucinated';
  expected: 'pass' | 'fail';
}

const flagged = (report: DependencyReport | undefined) =>
  report?.verdicts.some(
    (verdict) => (verdict.check === 'exists' || verdict.check === 'typosquat') && verdict.status !== 'pass',
  ) ?? false;

/**
 * The dependency guard: detection and false-alarm rates on the project's list of real, typosquatted and
 * hallucinated names (recorded registry answers); a 1,500-package lockfile checked cold (limited by the
 * registry, here a local server replaying documents) and warm (cache); and the same manifest through
 * npm-check-updates with `--cooldown` in the same run.
 */
export async function runDependenciesScenario(options: { packages: number }): Promise<ScenarioReport> {
  // 1. Names.
  const { entries } = JSON.parse(readFileSync(path.join(fixtures, 'names.json'), 'utf8')) as {
    entries: NameEntry[];
  };
  const named = await checkDependencies({
    code: entries
      .map((entry) => `${entry.ecosystem === 'npm' ? 'npm' : 'pip'} install ${entry.name}`)
      .join('\n'),
    registry: [
      createRecordedRegistryClient(path.join(fixtures, 'registry'), { ecosystem: 'npm' }),
      createRecordedRegistryClient(path.join(fixtures, 'registry'), { ecosystem: 'pypi' }),
    ],
    options: { now: '2026-12-01T00:00:00Z', licenseAllowList: null },
  });
  const reports = new Map(named.dependencies.map((report) => [`${report.ecosystem}:${report.name}`, report]));
  const bad = entries.filter((entry) => entry.expected === 'fail');
  const good = entries.filter((entry) => entry.expected === 'pass');
  const caught = bad.filter((entry) => flagged(reports.get(`${entry.ecosystem}:${entry.name}`))).length;
  const falseAlarms = good.filter((entry) => flagged(reports.get(`${entry.ecosystem}:${entry.name}`)));
  const detection = (caught / bad.length) * 100;
  const falseAlarmRate = (falseAlarms.length / good.length) * 100;

  // 2. A large lockfile against a local registry replaying generated documents.
  const root = mkdtempSync(path.join(tmpdir(), 'plumb-bench-deps-'));
  const registryDirectory = path.join(root, 'registry');
  cpSync(path.join(fixtures, 'registry'), registryDirectory, { recursive: true });
  const names = npmHighImpact.filter((name) => !name.startsWith('@')).slice(0, options.packages);
  const { lockfile, manifest } = await writeSyntheticProject(registryDirectory, names);
  const server = await startRecordedRegistryServer(registryDirectory);
  let cold: { seconds: number; requests: number };
  let warm: { seconds: number; requests: number };
  let ncu: { seconds: number; upgrades: number } | { error: string };
  let plumbManifestSeconds: number;
  try {
    const cacheDirectory = path.join(root, 'cache');
    const timed = async () => {
      const client = createNpmRegistryClient({
        registryUrl: server.npmRegistryUrl,
        cacheDirectory,
        retries: 2,
      });
      const before = server.requestCount();
      const started = performance.now();
      const result = await checkDependencies({
        manifests: [
          { path: 'package.json', content: manifest },
          { path: 'package-lock.json', content: lockfile },
        ],
        registry: client,
        options: { licenseAllowList: null },
      });
      if (result.dependencies.length < names.length)
        throw new Error(`only ${result.dependencies.length} checked`);
      return { seconds: (performance.now() - started) / 1000, requests: server.requestCount() - before };
    };
    cold = await timed();
    warm = await timed();

    // 3. The same manifest (direct dependencies) through Plumb and through npm-check-updates --cooldown.
    const projectDirectory = path.join(root, 'project');
    cpSync(path.join(fixtures, 'projects', 'dashboard'), projectDirectory, { recursive: true });
    writeFileSync(path.join(projectDirectory, 'package.json'), manifest);
    const manifestStarted = performance.now();
    await checkDependencies({
      manifests: [{ path: 'package.json', content: manifest }],
      registry: createNpmRegistryClient({ registryUrl: server.npmRegistryUrl, retries: 2 }),
      options: { licenseAllowList: null },
    });
    plumbManifestSeconds = (performance.now() - manifestStarted) / 1000;
    try {
      const started = performance.now();
      const { stdout } = await run(
        process.execPath,
        [
          path.join(repositoryRoot, 'node_modules/npm-check-updates/build/cli.js'),
          '--cooldown',
          '7',
          '--registry',
          server.npmRegistryUrl,
          '--packageFile',
          path.join(projectDirectory, 'package.json'),
          '--jsonUpgraded',
        ],
        { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      );
      ncu = {
        seconds: (performance.now() - started) / 1000,
        upgrades: Object.keys(JSON.parse(stdout) as object).length,
      };
    } catch (error) {
      ncu = { error: (error as Error).message.split('\n')[0] ?? 'failed' };
    }
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }

  const targets: TargetCheck[] = [
    checkTarget({ name: 'deps: nonexistent and typosquat names caught', value: detection, comparison: '>=', limit: 95, unit: '%' }),
    checkTarget({ name: 'deps: false alarms on real names', value: falseAlarmRate, comparison: '<=', limit: 2, unit: '%' }),
    checkTarget({ name: `deps: ${names.length}-package lockfile, warm cache`, value: warm.seconds * 1000, comparison: '<=', limit: 1000, unit: 'ms' }),
  ]; // prettier-ignore
  return {
    name: 'dependencies',
    title: 'Dependency guard: names list, large lockfile, and npm-check-updates on the same manifest',
    table: {
      headers: ['measure', 'plumb', 'peer / note'],
      rows: [
        ['names caught (nonexistent or typosquat)', `${caught}/${bad.length} (${formatNumber(detection, 1)} %)`, ''],
        ['false alarms on real names', `${falseAlarms.length}/${good.length} (${formatNumber(falseAlarmRate, 1)} %)`, falseAlarms.map((entry) => entry.name).join(', ')],
        [`${names.length}-package lockfile, cold`, `${formatNumber(cold.seconds, 2)} s, ${cold.requests} requests (${formatNumber(cold.requests / cold.seconds, 0)}/s)`, 'local replaying registry'],
        [`${names.length}-package lockfile, warm`, `${formatNumber(warm.seconds * 1000, 0)} ms, ${warm.requests} requests`, ''],
        ['manifest (10 direct deps), every check', `${formatNumber(plumbManifestSeconds * 1000, 0)} ms`, 'error' in ncu ? `npm-check-updates failed: ${ncu.error}` : `npm-check-updates --cooldown 7: ${formatNumber(ncu.seconds * 1000, 0)} ms, ${ncu.upgrades} upgrades (versions only: no existence, typosquat, advisory or license checks)`],
      ],
    }, // prettier-ignore
    notes: [
      'Names: the project-written list in packages/engines/fixtures/dependencies/names.json, answered by recorded registry documents.',
      'The lockfile packuments are generated (shape and count matter for timing); the cold number is bounded by the local server on this machine.',
    ],
    targets,
    data: {
      detection,
      falseAlarmRate,
      falseAlarms: falseAlarms.map((entry) => entry.name),
      cold,
      warm,
      plumbManifestSeconds,
      ncu,
    },
  };
}
