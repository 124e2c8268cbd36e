import { compare, eq, explain, gt, lt, satisfies } from '@renovatebot/pep440';
import { parse as parseSpecifierSet } from '@renovatebot/pep440/lib/specifier.js';

/**
 * PEP 440 for the dependency engine, as a thin adapter over `@renovatebot/pep440` (a port of Python's
 * `packaging`): parsing, ordering, pre-release detection and specifier matching. The adapter adds what the
 * library leaves to its callers (no exceptions on invalid input, the set-level pre-release rule) and corrects
 * four clause rules where `@renovatebot/pep440` 4.2 simplifies PEP 440; each is marked below and pinned by a test.
 */
export interface Pep440Version {
  epoch: number;
  release: number[];
  pre?: { label: 'a' | 'b' | 'rc'; number: number } | undefined;
  post?: number | undefined;
  dev?: number | undefined;
  local?: string | undefined;
  /** Pre-release or development release; post-releases are not pre-releases. */
  isPrerelease: boolean;
  isPostrelease: boolean;
  /** The version without its local label, normalized (`1.0.post1` for `1.0-1`). */
  public: string;
  text: string;
}

/**
 * Parses a PEP 440 version, or returns `undefined` when the text is not one.
 *
 * @example parsePep440Version('2.0.0rc1')?.pre // => { label: 'rc', number: 1 }
 */
export function parsePep440Version(text: string): Pep440Version | undefined {
  const trimmed = text.trim();
  const explained = explain(trimmed);
  if (!explained) return undefined;
  const [label, number] = explained.pre ?? [];
  return {
    epoch: explained.epoch,
    release: explained.release,
    // The library normalizes `alpha`, `c`, `pre`, `preview` and friends to `a`, `b`, `rc`.
    pre: label === undefined ? undefined : { label: label as 'a' | 'b' | 'rc', number: Number(number ?? 0) },
    post: numberOrUndefined(explained.post),
    dev: numberOrUndefined(explained.dev),
    local: explained.local ?? undefined,
    isPrerelease: explained.is_prerelease,
    isPostrelease: explained.is_postrelease,
    public: explained.public,
    text: trimmed,
  };
}

// The declared type says `(string | number)[]`, but `explain` returns the bare number (or null).
function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * Whether a version is a pre-release (`a`, `b`, `rc`) or a development release (`.dev`).
 *
 * @example isPep440Prerelease(parsePep440Version('5.1rc1')!) // => true
 */
export function isPep440Prerelease(version: Pep440Version): boolean {
  return version.isPrerelease;
}

/**
 * Compares two version strings (negative, zero, positive) in PEP 440 order; unparsable versions sort first
 * (the library throws on them).
 *
 * @example comparePep440Text('5.4', '5.3.1') > 0 // => true
 */
export function comparePep440Text(left: string, right: string): number {
  const [a, b] = [parsePep440Version(left), parsePep440Version(right)];
  if (!a || !b) return a ? 1 : b ? -1 : left.localeCompare(right);
  return compare(a.text, b.text);
}

export interface Pep440Specifier {
  operator: '==' | '!=' | '<' | '<=' | '>' | '>=' | '~=' | '===';
  /** The version as written, with its `.*` suffix when it has one. */
  version: string;
}

/**
 * Parses a comma-separated specifier set (`>=1.0,<2`), or returns `undefined` when any clause is invalid.
 * An empty text is the empty set, which every version satisfies.
 *
 * @example parsePep440Specifiers('>=1.0, <2')?.length // => 2
 */
export function parsePep440Specifiers(text: string): Pep440Specifier[] | undefined {
  const clauses = parseClauses(text);
  return clauses?.map(({ operator, version }) => ({ operator, version }));
}

interface ParsedClause extends Pep440Specifier {
  /** The version without `.*`, parsed; undefined for `===` with a non-PEP 440 text. */
  target: Pep440Version | undefined;
  wildcard: boolean;
}

function parseClauses(text: string): ParsedClause[] | undefined {
  // `parse` is not re-exported from the package root but is typed in lib/specifier.d.ts. At run time each
  // clause also carries the regular expression's `legacy` group (the text of an arbitrary `===` clause).
  const parsed = parseSpecifierSet(text) as Array<{
    operator: string;
    version?: string;
    prefix?: string;
    legacy?: string;
  }> | null;
  if (!parsed) return undefined;
  return parsed.map((clause) => {
    const written = clause.version ?? clause.legacy ?? '';
    return {
      operator: clause.operator as Pep440Specifier['operator'],
      version: `${written}${clause.prefix ?? ''}`,
      target: parsePep440Version(written),
      wildcard: clause.prefix !== undefined,
    };
  });
}

/**
 * Whether `versionText` satisfies the specifier set. Pre-releases match only when `includePrerelease` is set or
 * a clause itself names a pre-release (PEP 440's rule, applied to the whole set as `packaging.SpecifierSet`
 * does).
 *
 * @example satisfiesPep440('5.4.1', '>=5.4,<6') // => true
 */
export function satisfiesPep440(
  versionText: string,
  specifierText: string,
  options: { includePrerelease?: boolean } = {},
): boolean {
  const version = parsePep440Version(versionText);
  const clauses = parseClauses(specifierText);
  if (!version || !clauses) return false;
  // The library decides per clause, so `1.5rc1` would fail `>=1.0a1,<2` on the `<2` clause; PEP 440 and
  // `packaging` let one clause that names a pre-release admit pre-releases for the whole set.
  const admitsPrerelease =
    options.includePrerelease === true || clauses.some((clause) => clause.target?.isPrerelease === true);
  if (version.isPrerelease && !admitsPrerelease) return false;
  return clauses.every((clause) => matchesClause(version, clause));
}

function matchesClause(version: Pep440Version, clause: ParsedClause): boolean {
  const { operator, target } = clause;
  // Corrections of @renovatebot/pep440 4.2.4 (lib/specifier.js `contains`), each per the PEP 440 text:
  // 1. `<V` / `>V` are rejected whenever the release segments are equal, so `>1.0rc1` refused `1.0`.
  if (target && (operator === '<' || operator === '>')) return matchesExclusive(version, operator, target);
  // 2. `===` is string equality; the library strips the candidate's local label first.
  if (operator === '===') return version.text.toLowerCase() === clause.version.toLowerCase();
  // 3. A prefix match pads the candidate's release with zeros (`1` is `1.0`, so it matches `==1.0.*`).
  if (target && clause.wildcard) {
    const matches =
      version.epoch === target.epoch &&
      target.release.every((part, index) => (version.release[index] ?? 0) === part);
    return operator === '==' ? matches : !matches;
  }
  // 4. A specifier with a local label compares local labels (`==1.0+a` does not match `1.0+b`).
  if (target?.local !== undefined && (operator === '==' || operator === '!='))
    return eq(version.text, target.text) === (operator === '==');
  // Pre-releases were already admitted or refused for the whole set.
  return satisfies(version.text, `${operator}${clause.version}`, { prereleases: true });
}

function matchesExclusive(version: Pep440Version, operator: '<' | '>', target: Pep440Version): boolean {
  if (operator === '<') {
    // "<V MUST NOT allow a pre-release of the specified version unless V is itself a pre-release": V.dev0 is
    // the earliest pre-release of V (the reading of packaging 26.1 and uv).
    return lt(version.text, target.isPrerelease ? target.text : `${target.public}.dev0`);
  }
  if (!gt(version.text, target.text)) return false;
  // ">V MUST NOT allow a post-release of the given version unless V itself is a post release."
  const withoutPost = `${version.epoch === 0 ? '' : `${version.epoch}!`}${version.release.join('.')}${
    version.pre ? `${version.pre.label}${version.pre.number}` : ''
  }`;
  if (!target.isPostrelease && version.isPostrelease && eq(withoutPost, target.text)) return false;
  // ">V MUST NOT match a local version of the specified version."
  return !(version.local !== undefined && eq(version.public, target.text));
}
