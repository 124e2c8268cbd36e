import type { Advisory, Ecosystem, PackageDocument } from './package-document.ts';
import type { RegistryStats } from './registry-http.ts';

export interface GetPackageOptions {
  /**
   * Whether per-version publish times (and licenses) are needed. When false the npm client asks for the smaller
   * abbreviated metadata (`application/vnd.npm.install-v1+json`), which has neither. Default true.
   */
  needPublishTimes?: boolean | undefined;
  /** Answer from the cache only, for this call (clients may also be created offline). */
  offline?: boolean | undefined;
}

/**
 * A package registry (npm, PyPI, recorded documents). `getPackage` answers `null` when the registry has no such
 * package and throws `registry_unavailable` when it cannot answer after its retries.
 */
export interface RegistryClient {
  readonly ecosystem: Ecosystem;
  getPackage(name: string, options?: GetPackageOptions): Promise<PackageDocument | null>;
  stats(): RegistryStats;
}

/** One package and the versions to ask an advisory service about. */
export interface AdvisoryQuery {
  ecosystem: Ecosystem;
  name: string;
  versions: string[];
}

/** A vulnerability database (npm bulk advisories, OSV). */
export interface AdvisoryClient {
  /** Advisories per `ecosystem:name` key; a package without advisories has an empty list. */
  getAdvisories(queries: AdvisoryQuery[]): Promise<Map<string, Advisory[]>>;
  stats(): RegistryStats;
}

/**
 * The map key of an advisory answer.
 *
 * @example advisoryKey('pypi', 'PyYAML') // => 'pypi:PyYAML'
 */
export function advisoryKey(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}:${name}`;
}
