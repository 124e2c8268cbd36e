import { PlumbError } from '@plumb/protocol';
import { collectDependencies } from './collect-dependencies.ts';
import type { DeclaredDependency } from './declared-dependency.ts';
import type { DependencyCheckResult, DependencyReport, ManifestEdit } from './dependency-check-result.ts';
import {
  securityHoldingVersion,
  nameVerdicts,
  versionVerdicts,
  worstStatus,
  type EvaluationContext,
} from './evaluate-dependency.ts';
import { defaultLicenseAllowList } from './license-allowed.ts';
import { lookUpAdvisories } from './look-up-advisories.ts';
import type { Ecosystem, PackageDocument } from './package-document.ts';
import { normalizePypiName } from './pypi-registry-client.ts';
import { recommendVersion } from './recommend-version.ts';
import { advisoryKey, type AdvisoryClient, type RegistryClient } from './registry-client.ts';
import { versionSchemeOf } from './version-scheme.ts';

export interface CheckDependenciesOptions {
  /** Reads package.json, package-lock.json, requirements*.txt and pyproject.toml from here when `manifests` is absent. */
  projectRoot?: string | undefined;
  manifests?: { path: string; content: string }[] | undefined;
  /** Generated code or chat text: imports and install commands are checked too. */
  code?: string | undefined;
  /** One client per ecosystem (npm, PyPI). */
  registry: RegistryClient | RegistryClient[];
  advisories?: AdvisoryClient | AdvisoryClient[] | undefined;
  options?: {
    minimumReleaseAgeDays?: number | undefined;
    now?: Date | string | number | undefined;
    runtime?: { node?: string | undefined; python?: string | undefined } | undefined;
    /** Allowed SPDX licenses; `null` turns the license check off. Default: common permissive licenses. */
    licenseAllowList?: readonly string[] | null | undefined;
    /** Answer from the registry caches only. */
    offline?: boolean | undefined;
  };
}

/**
 * Checks the dependencies of manifests, lockfiles, generated code and install commands against the registries:
 * existence, typosquatting, pre-releases, release age, deprecation, advisories, runtime, peers, majors behind
 * and license; recommends the newest version that passes and the manifest edits that apply it. Registry
 * failures never throw: those dependencies are `unknown` and the result is `partial`. Malformed manifests
 * throw `manifest_invalid` with their location.
 *
 * @example
 * const result = await checkDependencies({
 *   manifests: [{ path: 'package.json', content: '{"dependencies":{"chart.js":"4.0.0-rc.1"}}' }],
 *   registry: createNpmRegistryClient(),
 * });
 * result.edits[0]?.to; // '4.5.1'
 */
export async function checkDependencies(input: CheckDependenciesOptions): Promise<DependencyCheckResult> {
  const started = performance.now();
  const settings = input.options ?? {};
  const warnings: string[] = [];
  const registries = new Map<Ecosystem, RegistryClient>(
    (Array.isArray(input.registry) ? input.registry : [input.registry]).map((client) => [
      client.ecosystem,
      client,
    ]),
  );
  const advisoryClients =
    input.advisories === undefined
      ? []
      : Array.isArray(input.advisories)
        ? input.advisories
        : [input.advisories];
  const clients = [...registries.values(), ...advisoryClients];
  const before = clients.map((client) => client.stats());

  const declared = await collectDependencies(input, warnings);
  const context: Omit<EvaluationContext, 'advisories'> = {
    minimumReleaseAgeDays: settings.minimumReleaseAgeDays ?? 7,
    now: settings.now === undefined ? new Date() : new Date(settings.now),
    runtime: settings.runtime ?? {},
    licenseAllowList:
      settings.licenseAllowList === null ? null : (settings.licenseAllowList ?? defaultLicenseAllowList),
    projectVersions: new Map(),
  };
  if (Number.isNaN(context.now.getTime()))
    throw new PlumbError(
      'invalid_request',
      `options.now "${String(settings.now)}" is not a date; pass an ISO 8601 time.`,
      { param: 'options.now' },
    );

  // One lookup per package, however often it is declared.
  const documents = new Map<string, Promise<PackageDocument | null | Error>>();
  const keyOf = (dependency: DeclaredDependency) =>
    advisoryKey(
      dependency.ecosystem,
      dependency.ecosystem === 'pypi' ? normalizePypiName(dependency.name) : dependency.name,
    );
  for (const dependency of declared) {
    const key = keyOf(dependency);
    if (documents.has(key)) continue;
    const client = registries.get(dependency.ecosystem);
    documents.set(
      key,
      client === undefined
        ? Promise.resolve(new Error(`no ${dependency.ecosystem} registry client was given`))
        : client
            .getPackage(dependency.name, {
              needPublishTimes: context.minimumReleaseAgeDays > 0 || context.licenseAllowList !== null,
              offline: settings.offline,
            })
            .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    );
  }
  const resolvedDocuments = new Map<string, PackageDocument | null | Error>();
  await Promise.all([...documents].map(async ([key, pending]) => resolvedDocuments.set(key, await pending)));

  const resolvedVersions = new Map<DeclaredDependency, string | undefined>();
  for (const dependency of declared) {
    const document = resolvedDocuments.get(keyOf(dependency));
    if (!document || document instanceof Error) continue;
    const resolved =
      dependency.locked ??
      versionSchemeOf(dependency.ecosystem).resolve(document, dependency.declared)?.version;
    resolvedVersions.set(dependency, resolved);
    if (
      resolved &&
      dependency.ecosystem === 'npm' &&
      dependency.origin === 'manifest' &&
      dependency.section !== 'peerDependencies'
    )
      (context.projectVersions as Map<string, string>).set(dependency.name, resolved);
  }

  const advisories = await lookUpAdvisories({
    clients: advisoryClients,
    declared,
    documents: resolvedDocuments,
    resolved: resolvedVersions,
    keyOf,
    warnings,
  });
  let partial = advisories.failed;
  const reports: DependencyReport[] = [];
  const edits: ManifestEdit[] = [];
  let lockfileUpdates = 0;
  for (const dependency of declared) {
    const document = resolvedDocuments.get(keyOf(dependency));
    const report: DependencyReport = {
      name: dependency.name,
      ecosystem: dependency.ecosystem,
      source: dependency.source,
      origin: dependency.origin,
      section: dependency.section,
      declared: dependency.declared,
      verdicts: [],
      status: 'pass',
    };
    reports.push(report);
    if (document === undefined || document instanceof Error) {
      partial = true;
      report.status = 'unknown';
      report.verdicts.push({
        check: 'registry',
        status: 'warn',
        reason: `The registry could not be asked: ${document?.message ?? 'no answer'}`,
      });
      continue;
    }
    report.verdicts.push(...nameVerdicts(dependency, document));
    if (document === null || document.unpublished || securityHoldingVersion(document) !== undefined) {
      report.status = worstStatus(report.verdicts);
      continue;
    }
    const evaluation: EvaluationContext = {
      ...context,
      advisories:
        advisories.failed && advisoryClients.length > 0 ? 'failed' : advisories.byKey.get(keyOf(dependency)),
    };
    const resolved = resolvedVersions.get(dependency);
    const version = document.versions.find((candidate) => candidate.version === resolved);
    report.resolved = resolved;
    if (!version) {
      const exists = report.verdicts.find((verdict) => verdict.check === 'exists');
      if (exists) {
        exists.status = 'fail';
        exists.reason = `No published version of "${dependency.name}" satisfies "${dependency.declared}"${resolved ? ` (the lockfile's ${resolved} is not published)` : ''}; the latest is ${document.distTags.latest ?? 'unknown'}.`;
      }
    } else {
      report.verdicts.push(
        ...versionVerdicts(document, version, evaluation, { declared: dependency.declared }),
      );
      if (dependency.origin !== 'lockfile') {
        const behind = majorsBehind(document, version.version);
        if (behind)
          report.verdicts.push({
            check: 'major-behind',
            status: behind.count > 0 ? 'warn' : 'pass',
            reason: behind.reason,
          });
      }
    }
    report.status = worstStatus(report.verdicts);
    const fixable =
      report.verdicts.some(
        (verdict) => verdict.status === 'fail' && !['exists', 'typosquat', 'license'].includes(verdict.check),
      ) || !version;
    if (!fixable) continue;
    if (dependency.origin === 'lockfile') lockfileUpdates += 1;
    report.recommendation = recommendVersion(dependency, document, evaluation, { resolved });
    const recommendation = report.recommendation;
    if (!recommendation) continue;
    if (dependency.installCommand) {
      const argument = installArgument(dependency, recommendation.range);
      const command = dependency.installCommand;
      const commandText = input.code?.slice(command.start, command.end) ?? '';
      const relativeStart =
        'codeRange' in dependency.source ? dependency.source.codeRange.start - command.start : -1;
      recommendation.installCommand = {
        argument,
        text:
          relativeStart >= 0
            ? commandText.slice(0, relativeStart) +
              argument +
              commandText.slice(relativeStart + command.argument.length)
            : commandText,
      };
    }
    if (
      dependency.origin === 'manifest' &&
      'file' in dependency.source &&
      recommendation.range !== dependency.declared
    ) {
      if (dependency.source.offset === undefined || dependency.declared === '')
        warnings.push(
          `${dependency.source.file}: "${dependency.name}" has no version text to edit; add ${recommendation.range} by hand.`,
        );
      else
        edits.push({
          file: dependency.source.file,
          name: dependency.name,
          line: dependency.source.line,
          column: dependency.source.column,
          offset: dependency.source.offset,
          from: dependency.declared,
          to: recommendation.range,
          reason: report.verdicts
            .filter((verdict) => verdict.status === 'fail')
            .map((verdict) => verdict.reason)
            .join(' '),
        });
    }
  }
  if (lockfileUpdates > 0)
    warnings.push(
      `${lockfileUpdates} locked package${lockfileUpdates === 1 ? '' : 's'} failed a check; lockfiles are not edited: update or replace them with \`npm update <name>\` or an override.`,
    );
  const after = clients.map((client) => client.stats());
  const delta = (field: 'requests' | 'cacheHits') =>
    after.reduce((sum, stats, index) => sum + stats[field] - (before[index]?.[field] ?? 0), 0);
  return {
    dependencies: reports,
    edits,
    partial,
    warnings,
    stats: {
      requests: delta('requests'),
      cacheHits: delta('cacheHits'),
      durationMs: Math.round(performance.now() - started),
    },
  };
}

function installArgument(dependency: DeclaredDependency, range: string): string {
  const tool = dependency.installCommand?.tool;
  if (dependency.ecosystem === 'npm' || tool === 'poetry') return `${dependency.name}@${range}`;
  const extras = dependency.extras ? `[${dependency.extras.join(',')}]` : '';
  return `${dependency.name}${extras}${range}`;
}

function majorsBehind(
  document: PackageDocument,
  version: string,
): { count: number; reason: string } | undefined {
  const scheme = versionSchemeOf(document.ecosystem);
  const latest = document.distTags.latest;
  if (!latest || !scheme.isValid(latest) || !scheme.isValid(version)) return undefined;
  const count = scheme.major(latest) - scheme.major(version);
  return count > 0
    ? {
        count,
        reason: `${version} is ${count} major version${count === 1 ? '' : 's'} behind the latest ${latest}.`,
      }
    : { count: 0, reason: `${version} is on the latest major line (${latest}).` };
}
