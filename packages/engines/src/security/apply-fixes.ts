import type { SecurityFinding } from './security-finding.ts';

/**
 * Apply the autofixes of the given findings to the code (non-overlapping fixes, from the end backwards).
 *
 * @example applyFixes('yaml.load(data)', result.findings) // => 'yaml.safe_load(data)'
 */
export function applyFixes(code: string, findings: readonly SecurityFinding[]): string {
  const fixes = findings
    .map((finding) => finding.fix)
    .filter((fix) => fix !== undefined)
    .sort((left, right) => right.startOffset - left.startOffset);
  let fixed = code;
  let limit = Number.POSITIVE_INFINITY;
  for (const fix of fixes) {
    if (fix.endOffset > limit) continue;
    fixed = fixed.slice(0, fix.startOffset) + fix.replacement + fixed.slice(fix.endOffset);
    limit = fix.startOffset;
  }
  return fixed;
}
