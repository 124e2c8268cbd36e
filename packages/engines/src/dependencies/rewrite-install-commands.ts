import type { DependencyCheckResult } from './dependency-check-result.ts';

/** One change `rewriteInstallCommands` made or reports. */
export interface InstallCommandChange {
  name: string;
  /** Range of the package argument in the original text. */
  start: number;
  end: number;
  from: string;
  /** The new argument; absent when the package cannot be fixed by a version (it does not exist, typosquat). */
  to?: string | undefined;
  reason: string;
}

/**
 * Rewrites the install commands of a text (the `code` given to `checkDependencies`) to the recommended
 * versions: `npm install chart.js@beta` -> `npm install chart.js@^4.5.1`. Packages that fail for their name
 * (nonexistent, typosquat) are reported in `changes` without `to`, for the guard to flag.
 *
 * @example rewriteInstallCommands(code, result).text
 */
export function rewriteInstallCommands(
  text: string,
  result: DependencyCheckResult,
): { text: string; changes: InstallCommandChange[] } {
  const changes: InstallCommandChange[] = [];
  for (const dependency of result.dependencies) {
    if (dependency.origin !== 'install-command' || !('codeRange' in dependency.source)) continue;
    const { start, end } = dependency.source.codeRange;
    const from = text.slice(start, end);
    // A name that is wrong (typosquat, or no such package) cannot be fixed by a version: flag it.
    const nameProblem =
      dependency.verdicts.find((verdict) => verdict.check === 'typosquat' && verdict.status === 'fail') ??
      (dependency.recommendation === undefined
        ? dependency.verdicts.find((verdict) => verdict.check === 'exists' && verdict.status === 'fail')
        : undefined);
    if (nameProblem) {
      changes.push({ name: dependency.name, start, end, from, reason: nameProblem.reason });
      continue;
    }
    const argument = dependency.recommendation?.installCommand?.argument;
    if (dependency.status !== 'fail' || argument === undefined || argument === from) continue;
    changes.push({
      name: dependency.name,
      start,
      end,
      from,
      to: argument,
      reason: `${dependency.verdicts
        .filter((verdict) => verdict.status === 'fail')
        .map((verdict) => verdict.reason)
        .join(' ')} ${dependency.recommendation?.reason ?? ''}`.trim(),
    });
  }
  let rewritten = text;
  for (const change of [...changes].sort((left, right) => right.start - left.start))
    if (change.to !== undefined)
      rewritten = rewritten.slice(0, change.start) + change.to + rewritten.slice(change.end);
  return { text: rewritten, changes: changes.sort((left, right) => left.start - right.start) };
}
