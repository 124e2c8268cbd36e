import semver from 'semver';
import type { Ecosystem, PackageDocument, PackageVersion } from './package-document.ts';
import {
  comparePep440Text,
  isPep440Prerelease,
  parsePep440Specifiers,
  parsePep440Version,
  satisfiesPep440,
} from './pep440.ts';
import { poetryToPep440 } from './parse-pyproject.ts';

/**
 * Version rules of one ecosystem: semver for npm, PEP 440 for PyPI. `declared` texts are npm ranges or
 * dist-tags, and PEP 440 specifier sets or Poetry constraints.
 */
export interface VersionScheme {
  compare(left: string, right: string): number;
  isValid(version: string): boolean;
  isPrerelease(version: string): boolean;
  major(version: string): number;
  /** Whether the declared text itself asks for a pre-release (`^4.0.0-rc.1`, `beta`, `>=2.0b1`). */
  declaresPrerelease(declared: string, document?: PackageDocument): boolean;
  satisfies(version: string, declared: string): boolean;
  /** The version a fresh install of `declared` would pick, or undefined when nothing matches. */
  resolve(document: PackageDocument, declared: string): PackageVersion | undefined;
}

const npmScheme: VersionScheme = {
  compare: (left, right) => semver.compare(left, right, true),
  isValid: (version) => semver.valid(version, true) !== null,
  isPrerelease: (version) => (semver.prerelease(version, true)?.length ?? 0) > 0,
  major: (version) => semver.major(version, true),
  declaresPrerelease(declared, document) {
    const text = declared.trim();
    if (text === '') return false;
    if (semver.validRange(text, true) === null) {
      const tagged = document?.distTags[text];
      return (
        text !== 'latest' &&
        (tagged === undefined || npmScheme.isPrerelease(tagged) || document?.distTags.latest !== tagged)
      );
    }
    return /\d+\.\d+\.\d+-[0-9A-Za-z]/.test(text);
  },
  satisfies(version, declared) {
    const text = declared.trim();
    if (text === '' || text === 'latest' || text === '*') return !npmScheme.isPrerelease(version);
    if (semver.validRange(text, true) === null) return false;
    return semver.satisfies(version, text, { loose: true });
  },
  resolve(document, declared) {
    const text = declared.trim();
    const byVersion = new Map(document.versions.map((version) => [version.version, version]));
    if (text === '' || text === '*' || text === 'latest') {
      const latest = document.distTags.latest;
      return latest ? byVersion.get(latest) : undefined;
    }
    if (semver.validRange(text, true) === null) {
      const tagged = document.distTags[text];
      return tagged ? byVersion.get(tagged) : undefined;
    }
    // npm prefers the `latest` tag when it satisfies the range, else the highest match.
    const latest = document.distTags.latest;
    if (latest && semver.valid(latest, true) && semver.satisfies(latest, text, { loose: true }))
      return byVersion.get(latest);
    const valid = document.versions
      .map((version) => version.version)
      .filter((version) => semver.valid(version, true));
    const best = semver.maxSatisfying(valid, text, { loose: true });
    return best ? byVersion.get(best) : undefined;
  },
};

const pypiScheme: VersionScheme = {
  compare: comparePep440Text,
  isValid: (version) => parsePep440Version(version) !== undefined,
  isPrerelease: (version) => {
    const parsed = parsePep440Version(version);
    return parsed !== undefined && isPep440Prerelease(parsed);
  },
  major: (version) => parsePep440Version(version)?.release[0] ?? 0,
  declaresPrerelease(declared) {
    return (parsePep440Specifiers(poetryToPep440(declared)) ?? []).some((specifier) =>
      pypiScheme.isPrerelease(specifier.version.replace(/\.\*$/, '')),
    );
  },
  satisfies(version, declared) {
    return satisfiesPep440(version, poetryToPep440(declared));
  },
  resolve(document, declared) {
    const specifier = poetryToPep440(declared);
    const pinned = /^\s*===?\s*[^,]+$/.test(specifier);
    const candidates = document.versions
      .filter((version) => pypiScheme.isValid(version.version))
      .filter((version) => pinned || !version.yanked)
      .filter((version) => satisfiesPep440(version.version, specifier))
      .sort((left, right) => comparePep440Text(right.version, left.version));
    return candidates[0];
  },
};

/**
 * The version rules of an ecosystem.
 *
 * @example versionSchemeOf('pypi').isPrerelease('5.1rc1') // => true
 */
export function versionSchemeOf(ecosystem: Ecosystem): VersionScheme {
  return ecosystem === 'npm' ? npmScheme : pypiScheme;
}
