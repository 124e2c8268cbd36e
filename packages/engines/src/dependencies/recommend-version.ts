import semver from 'semver';
import type { DeclaredDependency } from './declared-dependency.ts';
import type { DependencyRecommendation } from './dependency-check-result.ts';
import { versionVerdicts, type EvaluationContext } from './evaluate-dependency.ts';
import type { Ecosystem, PackageDocument } from './package-document.ts';
import { parsePep440Specifiers, parsePep440Version, satisfiesPep440 } from './pep440.ts';
import { versionSchemeOf } from './version-scheme.ts';

/**
 * The newest version that passes every blocking check (pre-release, age, deprecated/yanked, advisories,
 * runtime, peers) and stays within the declared major line; else the newest passing version of any major,
 * flagged `breaking`. Undefined when no version passes.
 *
 * @example recommendVersion(dependency, document, context)?.range // => '^4.5.1'
 */
export function recommendVersion(
  dependency: DeclaredDependency,
  document: PackageDocument,
  context: EvaluationContext,
  options: { resolved?: string | undefined } = {},
): DependencyRecommendation | undefined {
  const { resolved } = options;
  const scheme = versionSchemeOf(document.ecosystem);
  const declaredMajor =
    majorOfDeclared(dependency.declared, document.ecosystem) ??
    (resolved && scheme.isValid(resolved) ? scheme.major(resolved) : undefined);
  const inRange = (version: string) =>
    dependency.declared.trim() !== '' && !scheme.declaresPrerelease(dependency.declared, document)
      ? scheme.satisfies(version, dependency.declared)
      : declaredMajor === undefined || scheme.major(version) === declaredMajor;
  const candidates = document.versions
    .filter((version) => scheme.isValid(version.version) && !scheme.isPrerelease(version.version))
    .sort((left, right) => scheme.compare(right.version, left.version));
  let newestPassing: string | undefined;
  let newestInRange: string | undefined;
  for (const candidate of candidates) {
    const blocking = versionVerdicts(document, candidate, context).some(
      (verdict) => verdict.status === 'fail',
    );
    if (blocking) continue;
    newestPassing ??= candidate.version;
    if (
      inRange(candidate.version) ||
      (declaredMajor !== undefined && scheme.major(candidate.version) === declaredMajor)
    ) {
      newestInRange = candidate.version;
      break;
    }
  }
  const version = newestInRange ?? newestPassing;
  if (version === undefined) return undefined;
  const breaking =
    newestInRange === undefined && declaredMajor !== undefined && scheme.major(version) !== declaredMajor;
  return {
    version,
    range: styleDeclared(dependency.declared, version, document.ecosystem, dependency.section),
    breaking,
    reason: newestInRange
      ? `${version} is the newest version of the declared line that passes every check (stable, older than ${context.minimumReleaseAgeDays} days, not deprecated, no known advisory).`
      : `No version of the declared line passes every check; ${version} is the newest that does${breaking ? ' (a new major version: check its changelog for breaking changes)' : ''}.`,
  };
}

function majorOfDeclared(declared: string, ecosystem: Ecosystem): number | undefined {
  const text = declared.trim();
  if (text === '') return undefined;
  if (ecosystem === 'npm') {
    if (semver.validRange(text, true) === null) return undefined;
    const minimum = semver.minVersion(text, true);
    // `*` and `>=0` say nothing about the intended major.
    return minimum && !/^[<>=\s]*0(\.0)*\s*$|^\*$/.test(text) ? minimum.major : undefined;
  }
  const literal = /(\d+(?:\.\d+)*(?:[a-z]+\d*)?)/i.exec(text)?.[1];
  return literal ? parsePep440Version(literal)?.release[0] : undefined;
}

/**
 * The declared text for a new version in the style of the old one: `^4.0.0-rc.1` -> `^4.5.1`, exact pins stay
 * exact, `==5.3` -> `==5.4.1`, Poetry `^5.3` -> `^5.4.1`, upper bounds kept when the new version meets them.
 *
 * @example styleDeclared('~1.2.0-beta.1', '1.2.3', 'npm') // => '~1.2.3'
 */
export function styleDeclared(
  declared: string,
  version: string,
  ecosystem: Ecosystem,
  section?: string,
): string {
  const text = declared.trim();
  if (ecosystem === 'npm') {
    const single = /^(\^|~|>=|=|v)?\s*\d[^\s|]*$/.exec(text);
    if (single) return `${single[1] === 'v' || single[1] === '=' ? '' : (single[1] ?? '')}${version}`;
    return `^${version}`;
  }
  if (section?.startsWith('tool.poetry')) {
    const single = /^(\^|~|==|>=|~=)?\s*\d[^,\s]*$/.exec(text);
    return single ? `${single[1] ?? ''}${version}` : `^${version}`;
  }
  if (text === '') return `==${version}`;
  const clauses = parsePep440Specifiers(text);
  if (!clauses || clauses.length === 0) return `==${version}`;
  const lower = clauses.find((clause) => ['==', '===', '>=', '~=', '>'].includes(clause.operator));
  const rest = clauses
    .filter((clause) => clause !== lower && clause.operator !== '==' && clause.operator !== '===')
    .filter((clause) => satisfiesPep440(version, `${clause.operator}${clause.version}`));
  const head = lower ? `${lower.operator === '>' ? '>=' : lower.operator}${version}` : `>=${version}`;
  return [head, ...rest.map((clause) => `${clause.operator}${clause.version}`)].join(',');
}
