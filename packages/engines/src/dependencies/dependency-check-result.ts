import type { DependencySource } from './declared-dependency.ts';
import type { Advisory, Ecosystem } from './package-document.ts';

/** The checks the engine runs on every dependency. */
export type DependencyCheckName =
  | 'registry'
  | 'exists'
  | 'typosquat'
  | 'prerelease'
  | 'release-age'
  | 'deprecated'
  | 'advisory'
  | 'runtime'
  | 'peer-dependencies'
  | 'major-behind'
  | 'license';

/** One check's outcome for one dependency. */
export interface DependencyVerdict {
  check: DependencyCheckName;
  status: 'pass' | 'warn' | 'fail';
  reason: string;
  /** The popular package a typosquat imitates; the advisories that matched. */
  details?: { target?: string | undefined; advisories?: Advisory[] | undefined } | undefined;
}

/** The exact text change that applies a recommendation to a manifest. */
export interface ManifestEdit {
  file: string;
  name: string;
  line?: number | undefined;
  column?: number | undefined;
  /** 0-based offset of `from` in the file. */
  offset?: number | undefined;
  from: string;
  to: string;
  reason: string;
}

/** The version to move to. */
export interface DependencyRecommendation {
  version: string;
  /** The declared text to write, in the style of the original (`^4.5.1`, `==5.4.1`). */
  range: string;
  /** A different major version than the one declared: expect breaking changes. */
  breaking: boolean;
  reason: string;
  /** For install commands: the rewritten package argument and the whole rewritten command. */
  installCommand?: { argument: string; text: string } | undefined;
}

export interface DependencyReport {
  name: string;
  ecosystem: Ecosystem;
  source: DependencySource;
  origin: 'manifest' | 'lockfile' | 'import' | 'install-command';
  section?: string | undefined;
  declared: string;
  resolved?: string | undefined;
  verdicts: DependencyVerdict[];
  /** The worst verdict; `unknown` when the registry could not be asked. */
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  recommendation?: DependencyRecommendation | undefined;
}

/** What `checkDependencies` answers. */
export interface DependencyCheckResult {
  dependencies: DependencyReport[];
  edits: ManifestEdit[];
  /** Some registry or advisory lookups failed after their retries; those dependencies are `unknown`. */
  partial: boolean;
  warnings: string[];
  stats: { requests: number; cacheHits: number; durationMs: number };
}
