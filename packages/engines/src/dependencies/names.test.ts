import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDependencies } from './check-dependencies.ts';
import type { DependencyReport } from './dependency-check-result.ts';
import type { Ecosystem } from './package-document.ts';
import { createRecordedRegistryClient } from './recorded-registry.ts';

interface NameEntry {
  name: string;
  ecosystem: Ecosystem;
  kind: 'popular' | 'obscure' | 'typosquat' | 'hallucinated';
  expected: 'pass' | 'fail';
}

const fixtures = fileURLToPath(new URL('../../fixtures/dependencies/', import.meta.url));
const { entries } = JSON.parse(readFileSync(`${fixtures}names.json`, 'utf8')) as { entries: NameEntry[] };

/** Whether the name-level checks (exists, typosquat) raised anything. */
const flagged = (report: DependencyReport | undefined) =>
  report?.verdicts.some(
    (verdict) => (verdict.check === 'exists' || verdict.check === 'typosquat') && verdict.status !== 'pass',
  ) ?? false;

describe('the names list (recorded registry answers)', () => {
  it('has at least 200 names of every kind', () => {
    expect(entries.length).toBeGreaterThanOrEqual(200);
    for (const kind of ['popular', 'obscure', 'typosquat', 'hallucinated'])
      expect(entries.filter((entry) => entry.kind === kind).length).toBeGreaterThan(20);
  });

  it('catches >= 95% of nonexistent and typosquat names with <= 2% false alarms on real ones', async () => {
    const npmNames = entries.filter((entry) => entry.ecosystem === 'npm');
    const pypiNames = entries.filter((entry) => entry.ecosystem === 'pypi');
    // Each name as a dependency of a manifest, so the whole pipeline (parsing, registry, checks) runs.
    const result = await checkDependencies({
      code: [
        ...npmNames.map((entry) => `npm install ${entry.name}`),
        ...pypiNames.map((entry) => `pip install ${entry.name}`),
      ].join('\n'),
      registry: [
        createRecordedRegistryClient(`${fixtures}registry`, { ecosystem: 'npm' }),
        createRecordedRegistryClient(`${fixtures}registry`, { ecosystem: 'pypi' }),
      ],
      options: { now: '2026-12-01T00:00:00Z', licenseAllowList: null },
    });
    expect(result.partial).toBe(false);
    const reports = new Map(
      result.dependencies.map((report) => [`${report.ecosystem}:${report.name}`, report]),
    );
    const bad = entries.filter((entry) => entry.expected === 'fail');
    const good = entries.filter((entry) => entry.expected === 'pass');
    const missed = bad.filter((entry) => !flagged(reports.get(`${entry.ecosystem}:${entry.name}`)));
    const falseAlarms = good.filter((entry) => flagged(reports.get(`${entry.ecosystem}:${entry.name}`)));
    const detection = (bad.length - missed.length) / bad.length;
    const falseAlarmRate = falseAlarms.length / good.length;
    const byKind = (kind: string) => {
      const ofKind = entries.filter((entry) => entry.kind === kind);
      return `${ofKind.filter((entry) => flagged(reports.get(`${entry.ecosystem}:${entry.name}`))).length}/${ofKind.length} flagged`;
    };
    console.log(
      [
        `names: ${entries.length} (${bad.length} nonexistent or typosquat, ${good.length} real)`,
        `detection ${(detection * 100).toFixed(1)}% (missed: ${missed.map((entry) => entry.name).join(', ') || 'none'})`,
        `false alarms ${(falseAlarmRate * 100).toFixed(1)}% (${falseAlarms.map((entry) => `${entry.name}: ${reports.get(`${entry.ecosystem}:${entry.name}`)?.verdicts.find((verdict) => verdict.check === 'typosquat' && verdict.status !== 'pass')?.reason ?? 'exists'}`).join('; ') || 'none'})`,
        `typosquat check alone: ${entries.filter((entry) => entry.kind === 'typosquat' && reports.get(`${entry.ecosystem}:${entry.name}`)?.verdicts.some((verdict) => verdict.check === 'typosquat' && verdict.status !== 'pass')).length}/${entries.filter((entry) => entry.kind === 'typosquat').length} typosquats (the rest are caught as nonexistent or npm security holding packages)`,
        `by kind: popular ${byKind('popular')}, obscure ${byKind('obscure')}, typosquat ${byKind('typosquat')}, hallucinated ${byKind('hallucinated')}`,
      ].join('\n'),
    );
    expect(detection).toBeGreaterThanOrEqual(0.95);
    expect(falseAlarmRate).toBeLessThanOrEqual(0.02);
    // Every popular package passes the name checks outright.
    expect(
      entries.filter(
        (entry) => entry.kind === 'popular' && flagged(reports.get(`${entry.ecosystem}:${entry.name}`)),
      ),
    ).toEqual([]);
  });
});
