import semver from 'semver';
import { advisoryAffects } from './advisory-clients.ts';
import type { DeclaredDependency } from './declared-dependency.ts';
import { defaultConfusableDetector } from './detect-confusable-name.ts';
import type { DependencyVerdict } from './dependency-check-result.ts';
import { isLicenseAllowed } from './license-allowed.ts';
import type { Advisory, PackageDocument, PackageVersion } from './package-document.ts';
import { satisfiesPep440 } from './pep440.ts';
import { versionSchemeOf } from './version-scheme.ts';

/** Everything the per-version checks need besides the version itself. */
export interface EvaluationContext {
  minimumReleaseAgeDays: number;
  now: Date;
  runtime: { node?: string | undefined; python?: string | undefined };
  /** `null` turns the license check off. */
  licenseAllowList: readonly string[] | null;
  /** Advisories of this package, or `failed` when the advisory service could not be asked. */
  advisories: Advisory[] | 'failed' | undefined;
  /** Resolved versions of the project's own direct npm dependencies, for peer dependency checks. */
  projectVersions: ReadonlyMap<string, string>;
}

const dayMs = 86_400_000;

/**
 * The npm "security holding package" version of a document (`0.0.1-security`, "security holding package"),
 * if the registry ever replaced a malicious package of this name: even when a newer version was published
 * later, the name has a history of abuse.
 *
 * @example securityHoldingVersion(crossenvDocument) // => '0.0.2-security'
 */
export function securityHoldingVersion(document: PackageDocument): string | undefined {
  return document.versions.find(
    (version) =>
      /^0\.0\.\d+-security$/.test(version.version) ||
      /security holding package/i.test(version.description ?? ''),
  )?.version;
}

/**
 * Whether npm replaced this name with a placeholder and it still is one.
 *
 * @example isSecurityHoldingPackage(crossenvDocument) // => true
 */
export function isSecurityHoldingPackage(document: PackageDocument): boolean {
  const holding = securityHoldingVersion(document);
  return holding !== undefined && (document.distTags.latest === holding || document.versions.length === 1);
}

/**
 * The name-level checks: existence and typosquatting.
 *
 * @example nameVerdicts({ name: 'lodahs', ecosystem: 'npm' } as DeclaredDependency, null)[0]?.status // => 'fail'
 */
export function nameVerdicts(
  dependency: DeclaredDependency,
  document: PackageDocument | null,
): DependencyVerdict[] {
  const detector = defaultConfusableDetector(dependency.ecosystem);
  const match = detector.detect(dependency.name);
  const registry = dependency.ecosystem === 'npm' ? 'npm' : 'PyPI';
  const hint = match ? ` Did you mean "${match.target}"?` : '';
  const verdicts: DependencyVerdict[] = [];
  if (document === null)
    verdicts.push({
      check: 'exists',
      status: 'fail',
      reason: `"${dependency.name}" does not exist on ${registry}; it may be a hallucinated name.${hint}`,
      details: { target: match?.target },
    });
  else if (document.unpublished)
    verdicts.push({
      check: 'exists',
      status: 'fail',
      reason: `"${dependency.name}" exists on ${registry} but has no installable versions (unpublished or removed).${hint}`,
      details: { target: match?.target },
    });
  else if (isSecurityHoldingPackage(document))
    verdicts.push({
      check: 'exists',
      status: 'fail',
      reason: `"${dependency.name}" is an npm security holding package: the registry replaced a malicious package of this name.${hint}`,
      details: { target: match?.target },
    });
  else if (securityHoldingVersion(document) !== undefined)
    verdicts.push({
      check: 'exists',
      status: 'fail',
      reason: `npm once replaced "${dependency.name}" with a security holding package (${securityHoldingVersion(document) ?? ''}) after removing a malicious package, and someone published it again since; treat it as hostile.${hint}`,
      details: { target: match?.target },
    });
  else
    verdicts.push({ check: 'exists', status: 'pass', reason: `"${dependency.name}" exists on ${registry}.` });

  if (!match) {
    verdicts.push({
      check: 'typosquat',
      status: 'pass',
      reason: detector.isPopular(dependency.name)
        ? `"${dependency.name}" is a popular package.`
        : 'Not confusable with a popular package.',
    });
    return verdicts;
  }
  const how = {
    'edit-distance': `is ${match.distance ?? 1} edit${match.distance === 1 ? '' : 's'} away from`,
    separator: 'differs only in separators or scope from',
    homoglyph: 'uses look-alike characters for',
    affix: 'is a popular name with a filler prefix or suffix:',
    stdlib: 'imitates the Python standard-library module',
  }[match.technique];
  // Established packages that merely resemble a popular name are a warning; placeholders and look-alikes fail.
  const versions = document?.versions.length ?? 0;
  const strong = document === null || match.technique !== 'edit-distance' || versions <= 3;
  verdicts.push({
    check: 'typosquat',
    status: strong ? 'fail' : 'warn',
    reason: `"${dependency.name}" ${how} "${match.target}", a likely typosquat or confusable name. Use "${match.target}" if that is what you meant.`,
    details: { target: match.target },
  });
  return verdicts;
}

/**
 * The version-level checks of one version: pre-release, release age, deprecated or yanked, advisories,
 * runtime compatibility, peer dependencies and license.
 *
 * @example versionVerdicts(document, document.versions[0], 'npm', context).map((verdict) => verdict.check)
 */
export function versionVerdicts(
  document: PackageDocument,
  version: PackageVersion,
  context: EvaluationContext,
  options: { declared?: string | undefined } = {},
): DependencyVerdict[] {
  const scheme = versionSchemeOf(document.ecosystem);
  const verdicts: DependencyVerdict[] = [];
  const latest = document.distTags.latest;
  const declaredPrerelease =
    options.declared !== undefined && scheme.declaresPrerelease(options.declared, document);
  if (scheme.isPrerelease(version.version) || declaredPrerelease)
    verdicts.push({
      check: 'prerelease',
      status: 'fail',
      reason: `${version.version} is a pre-release${declaredPrerelease && options.declared ? ` (declared "${options.declared}")` : ''}; the stable line is ${latest ?? 'unknown'}. Pre-releases can break without notice.`,
    });
  else
    verdicts.push({ check: 'prerelease', status: 'pass', reason: `${version.version} is a stable release.` });

  if (version.publishedAt === undefined)
    verdicts.push({
      check: 'release-age',
      status: context.minimumReleaseAgeDays > 0 ? 'warn' : 'pass',
      reason: `The registry gave no publish time for ${version.version}; its age is unknown.`,
    });
  else {
    const ageDays = (context.now.getTime() - Date.parse(version.publishedAt)) / dayMs;
    verdicts.push(
      ageDays < context.minimumReleaseAgeDays
        ? {
            check: 'release-age',
            status: 'fail',
            reason: `${version.version} was released ${ageDays < 1 ? 'less than a day' : `${Math.floor(ageDays)} day${Math.floor(ageDays) === 1 ? '' : 's'}`} ago (${version.publishedAt.slice(0, 10)}); the minimum age is ${context.minimumReleaseAgeDays} days, so a compromised or broken release has time to be caught.`,
          }
        : {
            check: 'release-age',
            status: 'pass',
            reason: `${version.version} was released ${Math.floor(ageDays)} days ago.`,
          },
    );
  }

  if (version.deprecated)
    verdicts.push({
      check: 'deprecated',
      status: 'fail',
      reason: `${version.version} is deprecated: "${version.deprecated}"`,
    });
  else if (version.yanked)
    verdicts.push({
      check: 'deprecated',
      status: 'fail',
      reason: `${version.version} was yanked from PyPI${version.yankedReason ? `: "${version.yankedReason}"` : ''}.`,
    });
  else verdicts.push({ check: 'deprecated', status: 'pass', reason: 'Not deprecated or yanked.' });

  if (context.advisories === 'failed')
    verdicts.push({
      check: 'advisory',
      status: 'warn',
      reason: 'The advisory service could not be asked; vulnerabilities are unknown.',
    });
  else if (context.advisories !== undefined) {
    const matching = context.advisories.filter((advisory) =>
      advisoryAffects(advisory, version.version, document.ecosystem),
    );
    if (matching.length === 0)
      verdicts.push({ check: 'advisory', status: 'pass', reason: 'No known advisory affects this version.' });
    else {
      const serious = matching.some((advisory) =>
        ['high', 'critical', 'unknown'].includes(advisory.severity),
      );
      verdicts.push({
        check: 'advisory',
        status: serious ? 'fail' : 'warn',
        reason: `${version.version} is affected by ${matching
          .map(
            (advisory) =>
              `${advisory.id}${advisory.aliases.find((alias) => alias.startsWith('CVE-')) ? ` (${advisory.aliases.find((alias) => alias.startsWith('CVE-'))})` : ''} ${advisory.severity}: ${advisory.summary} [${advisory.vulnerableRange}]`,
          )
          .join('; ')}.`,
        details: { advisories: matching },
      });
    }
  }

  const runtime = runtimeVerdict(document, version, context);
  if (runtime) verdicts.push(runtime);

  if (version.peerDependencies && document.ecosystem === 'npm') {
    const conflicts = Object.entries(version.peerDependencies).flatMap(([peer, range]) => {
      const installed = context.projectVersions.get(peer);
      if (installed === undefined || semver.valid(installed) === null || semver.validRange(range) === null)
        return [];
      return semver.satisfies(installed, range, { includePrerelease: true })
        ? []
        : [`${peer}@${range} (the project has ${installed})`];
    });
    if (conflicts.length > 0)
      verdicts.push({
        check: 'peer-dependencies',
        status: 'fail',
        reason: `${document.name}@${version.version} needs peer ${conflicts.join(', ')}; npm would refuse to install (ERESOLVE).`,
      });
  }

  if (context.licenseAllowList !== null) {
    const license = version.license ?? document.license;
    if (license === undefined || license.trim() === '')
      verdicts.push({
        check: 'license',
        status: 'warn',
        reason: 'The package declares no license; without one you may not be allowed to use it.',
      });
    else if (!isLicenseAllowed(license, context.licenseAllowList))
      verdicts.push({
        check: 'license',
        status: 'warn',
        reason: `License "${license}" is not on the allow-list (${context.licenseAllowList.join(', ')}).`,
      });
    else verdicts.push({ check: 'license', status: 'pass', reason: `License ${license} is allowed.` });
  }
  return verdicts;
}

function runtimeVerdict(
  document: PackageDocument,
  version: PackageVersion,
  context: EvaluationContext,
): DependencyVerdict | undefined {
  if (document.ecosystem === 'npm') {
    const wanted = version.engines?.node;
    const node = context.runtime.node === undefined ? null : semver.coerce(context.runtime.node);
    if (!wanted || !node || semver.validRange(wanted) === null) return undefined;
    return semver.satisfies(node, wanted)
      ? { check: 'runtime', status: 'pass', reason: `engines.node "${wanted}" accepts Node ${node.version}.` }
      : {
          check: 'runtime',
          status: 'fail',
          reason: `${version.version} requires Node "${wanted}" (engines.node); the project runs Node ${node.version}.`,
        };
  }
  const wanted = version.requiresPython;
  const python = context.runtime.python;
  if (!wanted || !python) return undefined;
  return satisfiesPep440(python, wanted, { includePrerelease: true })
    ? { check: 'runtime', status: 'pass', reason: `requires_python "${wanted}" accepts Python ${python}.` }
    : {
        check: 'runtime',
        status: 'fail',
        reason: `${version.version} requires Python "${wanted}"; the project runs Python ${python}.`,
      };
}

/**
 * The worst status of a list of verdicts.
 *
 * @example worstStatus([{ check: 'license', status: 'warn', reason: '' }]) // => 'warn'
 */
export function worstStatus(verdicts: readonly DependencyVerdict[]): 'pass' | 'warn' | 'fail' {
  if (verdicts.some((verdict) => verdict.status === 'fail')) return 'fail';
  return verdicts.some((verdict) => verdict.status === 'warn') ? 'warn' : 'pass';
}
