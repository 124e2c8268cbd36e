import {
  applyDependencyEdits,
  checkDependencies,
  findDependenciesInText,
  rewriteInstallCommands,
  type AdvisoryClient,
  type DependencyCheckResult,
  type RegistryClient,
} from '@plumb/engines';
import type { Guard, GuardFinding, GuardVerdict } from './guard.ts';

export interface DependencyGuardOptions {
  registry: RegistryClient[];
  advisories?: AdvisoryClient[];
  /** Minimum age of a release in days (default 7). */
  minimumReleaseAgeDays?: number;
}

/**
 * The dependency stability guard for answers in `mode: "code"`: the packages a code block introduces (imports,
 * `npm install` / `pip install` commands, and manifests written as blocks with a path such as
 * `json path=package.json`) are checked against the registries; install commands and manifest versions are
 * rewritten to the recommended stable versions (`npm install chart.js@beta` -> `npm install chart.js@^4.5.1`), and
 * packages that do not exist or imitate a popular name are flagged. What changed is reported in
 * `plumb.guards`. A registry that cannot be reached makes the check partial, never a failed answer.
 *
 * @example const guards = [createSecurityGuard(), createDependencyGuard(createDependencyClients())];
 */
export function createDependencyGuard(options: DependencyGuardOptions): Guard {
  return {
    name: 'dependencies',
    async checkCodeBlock(block): Promise<GuardVerdict> {
      const manifest = manifestNameOf(block);
      if (manifest !== undefined) {
        // A manifest the answer writes: its declared versions are checked and rewritten in place.
        let result: DependencyCheckResult;
        try {
          result = await checkDependencies({
            manifests: [{ path: manifest, content: block.content }],
            registry: options.registry,
            ...(options.advisories ? { advisories: options.advisories } : {}),
            options: { minimumReleaseAgeDays: options.minimumReleaseAgeDays ?? 7 },
          });
        } catch {
          // A manifest the model left unparseable (an excerpt, comments in JSON) is not ours to fail on.
          return { action: 'pass' };
        }
        const edited = applyDependencyEdits(block.content, result.edits);
        const changes = edited.applied.map((edit) => ({
          name: edit.name,
          from: `${edit.name}@${edit.from}`,
          to: `${edit.name}@${edit.to}`,
          reason: edit.reason,
        }));
        const findings = findingsOf(result, changes);
        if (edited.content !== block.content) return { action: 'rewrite', content: edited.content, findings };
        return findings.length > 0 ? { action: 'annotate', findings } : { action: 'pass' };
      }
      if (findDependenciesInText(block.content).length === 0) return { action: 'pass' };
      const result = await checkDependencies({
        code: block.content,
        registry: options.registry,
        ...(options.advisories ? { advisories: options.advisories } : {}),
        options: { minimumReleaseAgeDays: options.minimumReleaseAgeDays ?? 7 },
      });
      const rewritten = rewriteInstallCommands(block.content, result);
      const findings = findingsOf(result, rewritten.changes);
      if (rewritten.text !== block.content) return { action: 'rewrite', content: rewritten.text, findings };
      return findings.length > 0 ? { action: 'annotate', findings } : { action: 'pass' };
    },
  };
}

const manifestNames = /^(package\.json|requirements[\w.-]*\.txt|pyproject\.toml)$/;

/** The manifest file a code block is, by its path (`json path=package.json`), or undefined. */
function manifestNameOf(block: { path: string | null }): string | undefined {
  const name = block.path?.split(/[\\/]/).pop();
  return name !== undefined && manifestNames.test(name) ? name : undefined;
}

function findingsOf(
  result: DependencyCheckResult,
  changes: { name: string; from: string; to?: string | undefined; reason: string }[],
): GuardFinding[] {
  const findings: GuardFinding[] = [];
  for (const change of changes) {
    findings.push(
      change.to === undefined
        ? { severity: 'error', message: `${change.name}: ${change.reason}`, detail: { name: change.name } }
        : {
            severity: 'warning',
            message: `Rewrote ${change.from} to ${change.to}: ${change.reason}`,
            detail: { name: change.name, from: change.from, to: change.to },
          },
    );
  }
  const reported = new Set(changes.map((change) => change.name));
  for (const dependency of result.dependencies) {
    if (reported.has(dependency.name) || dependency.status === 'pass') continue;
    const worst = dependency.verdicts.filter((verdict) => verdict.status !== 'pass');
    findings.push({
      severity: dependency.status === 'fail' ? 'error' : dependency.status === 'unknown' ? 'info' : 'warning',
      message: `${dependency.name} (${dependency.origin}): ${worst.map((verdict) => verdict.reason).join('; ') || dependency.status}`,
      detail: {
        name: dependency.name,
        ecosystem: dependency.ecosystem,
        status: dependency.status,
        verdicts: dependency.verdicts,
        ...(dependency.recommendation ? { recommendation: dependency.recommendation } : {}),
      },
    });
  }
  if (result.partial) {
    findings.push({ severity: 'info', message: `Partial check: ${result.warnings.join('; ')}` });
  }
  return findings;
}
