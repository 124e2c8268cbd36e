import path from 'node:path';
import type { TestVectorResult } from './test-vector-result.ts';

/**
 * A Markdown summary of a test-vector run: per function the outcome counts, the findings (grouped by kind,
 * with the first example of each) and the robustness notes, then warnings. Deterministic (no timings).
 *
 * @example formatVectorSummary(result).startsWith('# Test vectors for') // => true
 */
export function formatVectorSummary(result: TestVectorResult): string {
  const lines: string[] = [`# Test vectors for ${path.basename(result.file)}`, ''];
  lines.push(
    `Language ${result.language}, seed ${result.seed}, mode ${result.mode}${result.referenceFile ? ` (reference: ${path.basename(result.referenceFile)})` : ''}.`,
    `${result.functions.length} function${result.functions.length === 1 ? '' : 's'}, ${result.functions.reduce((sum, report) => sum + report.counts.vectors, 0)} vectors executed, ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}.`,
    '',
  );
  for (const report of result.functions) {
    const { counts } = report;
    lines.push(`## ${report.function.name} (line ${report.function.line})`, '');
    lines.push(
      `${counts.vectors} vectors: ${counts.returned} returned, ${counts.threw} threw, ${counts.timeout} timed out, ${counts.crash} crashed.`,
      '',
    );
    if (report.findings.length === 0) {
      lines.push('No findings.', '');
    } else {
      const byKind = new Map<string, typeof report.findings>();
      for (const finding of report.findings)
        byKind.set(finding.kind, [...(byKind.get(finding.kind) ?? []), finding]);
      lines.push('| finding | severity | count | first example |', '|---|---|---|---|');
      for (const [kind, findings] of byKind) {
        const first = findings[0];
        lines.push(
          `| ${kind} | ${first?.severity ?? ''} | ${findings.length} | ${escapeCell(first?.message ?? '')} (${first?.vectorId ?? ''}) |`,
        );
      }
      lines.push('');
    }
    const notes = report.runs.filter((run) => run.robustnessNote).length;
    if (notes > 0)
      lines.push(
        `${notes} robustness vector${notes === 1 ? '' : 's'} (inputs outside the documented contract) were rejected or failed; they are not counted as findings.`,
        '',
      );
  }
  if (result.warnings.length > 0) {
    lines.push('## Warnings', '', ...result.warnings.map((warning) => `- ${warning}`), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function escapeCell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 240);
}
