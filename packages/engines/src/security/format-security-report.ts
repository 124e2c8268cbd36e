import type { SecurityScanResult } from './security-finding.ts';

/**
 * A human-readable report: one block per finding (location, rule, CWE, message, snippet, taint path, safer
 * alternative), then a summary line and warnings.
 *
 * @example formatSecurityReport(result).includes('CWE-89') // => true when SQL injection was found
 */
export function formatSecurityReport(result: SecurityScanResult): string {
  const lines: string[] = [];
  for (const finding of result.findings) {
    lines.push(
      `${finding.file}:${finding.line}:${finding.column} ${finding.severity.toUpperCase()} ${finding.ruleId} (${finding.cwe}, OWASP ${finding.owasp}, confidence ${finding.confidence})`,
    );
    lines.push(`  ${finding.message}`);
    lines.push(`  > ${finding.snippet}`);
    if (finding.taintPath !== undefined)
      for (const step of finding.taintPath) lines.push(`    ${step.line}:${step.column} ${step.label}`);
    if (finding.saferAlternative !== undefined)
      lines.push(
        `  Safer: ${finding.saferAlternative.description}${finding.saferAlternative.code === undefined ? '' : ` e.g. ${finding.saferAlternative.code}`}`,
      );
    if (finding.fix !== undefined) lines.push(`  Autofix: ${finding.fix.description}`);
    lines.push('');
  }
  const counts = { high: 0, medium: 0, low: 0 };
  for (const finding of result.findings) counts[finding.severity] += 1;
  lines.push(
    `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} (${counts.high} high, ${counts.medium} medium, ${counts.low} low) in ${result.filesScanned} file${result.filesScanned === 1 ? '' : 's'}, ${result.linesScanned} lines, ${result.durationMs} ms.`,
  );
  if (result.warnings.length > 0)
    lines.push('', 'Warnings:', ...result.warnings.map((warning) => `- ${warning}`));
  return `${lines.join('\n')}\n`;
}
