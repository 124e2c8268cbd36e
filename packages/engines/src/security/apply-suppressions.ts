import type { SecurityFinding } from './security-finding.ts';

const suppression = /plumb-ignore(?:\[|\s+)([A-Za-z0-9*,\s-]+?)(?:\])?(?:\s*:\s*(.*?))?\s*(?:\*\/|-->|$)/;

/**
 * Drop findings suppressed by an inline `plumb-ignore <rule-id>: reason` comment on their line or the line
 * above (a rule id, a CWE such as CWE-89, or several separated by commas). A suppression without a reason
 * still suppresses but produces a warning.
 *
 * @example applySuppressions(findings, code, warnings) // => findings not suppressed
 */
export function applySuppressions(
  findings: SecurityFinding[],
  code: string,
  warnings: string[],
): SecurityFinding[] {
  if (!code.includes('plumb-ignore')) return findings;
  const lines = code.split('\n');
  const warned = new Set<number>();
  return findings.filter((finding) => {
    for (const lineNumber of [finding.line, finding.line - 1]) {
      const match = suppression.exec(lines[lineNumber - 1] ?? '');
      if (match === null) continue;
      const targets = (match[1] ?? '').split(/[\s,]+/).filter(Boolean);
      if (
        !targets.some(
          (target) => target === finding.ruleId || target === '*' || target.toUpperCase() === finding.cwe,
        )
      )
        continue;
      const reason = (match[2] ?? '').trim();
      if (reason === '' && !warned.has(lineNumber)) {
        warned.add(lineNumber);
        warnings.push(
          `${finding.file}:${lineNumber}: plumb-ignore without a reason; write "plumb-ignore ${finding.ruleId}: <why this is safe>".`,
        );
      }
      return false;
    }
    return true;
  });
}
