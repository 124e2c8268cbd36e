/** The package ecosystems the dependency engine understands. */
export type Ecosystem = 'npm' | 'pypi';

/** One published version of a package, normalized across registries. */
export interface PackageVersion {
  version: string;
  /** ISO 8601 publish time; absent when the registry document did not say (abbreviated npm metadata). */
  publishedAt?: string | undefined;
  /** npm's deprecation message. */
  deprecated?: string | undefined;
  /** PyPI: every file of the release is yanked (PEP 592). */
  yanked?: boolean | undefined;
  yankedReason?: string | undefined;
  /** npm `engines` (`{ node: ">=18" }`). */
  engines?: Record<string, string> | undefined;
  /** PyPI `requires_python` (`">=3.8"`). */
  requiresPython?: string | undefined;
  peerDependencies?: Record<string, string> | undefined;
  license?: string | undefined;
  /** npm `description`; used to recognise npm's "security holding package" placeholders. */
  description?: string | undefined;
}

/** A registry's answer for one package name, normalized (`RegistryClient.getPackage`). */
export interface PackageDocument {
  name: string;
  ecosystem: Ecosystem;
  /** `latest`, `next`, `beta` ... ; PyPI documents carry only `latest` (the project's current version). */
  distTags: Record<string, string>;
  versions: PackageVersion[];
  /** Whether per-version publish times were present (false for abbreviated npm metadata). */
  hasPublishTimes: boolean;
  /** The package existed but every version was unpublished (npm `time.unpublished`, or no versions at all). */
  unpublished: boolean;
  /** Project-level license when versions do not carry one (PyPI `info.license`). */
  license?: string | undefined;
}

/** A known vulnerability, from the npm bulk advisory endpoint or OSV. */
export interface Advisory {
  /** `GHSA-...`, `PYSEC-...` or the npm advisory number as text. */
  id: string;
  aliases: string[];
  summary: string;
  severity: 'low' | 'moderate' | 'high' | 'critical' | 'unknown';
  /** Human-readable affected range (`<4.17.21`, `>=0, <5.4`). */
  vulnerableRange: string;
  /** Structured ranges used to test any version: affected when `introduced <= v < fixed` (or `<= lastAffected`). */
  ranges: {
    introduced?: string | undefined;
    fixed?: string | undefined;
    lastAffected?: string | undefined;
  }[];
  /** Versions listed explicitly as affected (OSV `versions`). */
  versions?: string[] | undefined;
  /** npm semver range as the npm advisory database writes it. */
  semverRange?: string | undefined;
  fixedIn?: string | undefined;
  url?: string | undefined;
}
