import type { DependencyCheckResult, DependencyReport } from './dependency-check-result.ts';

const marks = { pass: 'ok', warn: 'WARN', fail: 'FAIL', unknown: '??' } as const;

/**
 * A plain-text report: one line per dependency that needs attention (failures first) with its reasons and
 * recommendation, then a count of the passing ones, the manifest edits and the warnings.
 *
 * @example formatDependencyReport(result).split('\n')[0] // => 'Dependencies: 3 checked, 1 fail, 0 warn, 2 pass'
 */
export function formatDependencyReport(result: DependencyCheckResult): string {
  const count = (status: DependencyReport['status']) =>
    result.dependencies.filter((report) => report.status === status).length;
  const lines = [
    `Dependencies: ${result.dependencies.length} checked, ${count('fail')} fail, ${count('warn')} warn, ${count('pass')} pass${count('unknown') > 0 ? `, ${count('unknown')} unknown` : ''}${result.partial ? ' (partial: some lookups failed)' : ''}`,
  ];
  const order = { fail: 0, unknown: 1, warn: 2, pass: 3 } as const;
  const attention = result.dependencies
    .filter((report) => report.status !== 'pass')
    .sort((left, right) => order[left.status] - order[right.status]);
  for (const report of attention) {
    const where =
      'file' in report.source
        ? `${report.source.file}${report.source.line ? `:${report.source.line}` : ''}`
        : `text ${report.source.codeRange.start}-${report.source.codeRange.end}`;
    lines.push(
      '',
      `${marks[report.status]} ${report.name}${report.declared ? ` ${report.declared}` : ''}${report.resolved ? ` (resolves to ${report.resolved})` : ''} [${report.ecosystem}, ${where}]`,
    );
    for (const verdict of report.verdicts)
      if (verdict.status !== 'pass')
        lines.push(`  ${marks[verdict.status]} ${verdict.check}: ${verdict.reason}`);
    if (report.recommendation)
      lines.push(
        `  -> use ${report.recommendation.range}${report.recommendation.breaking ? ' (breaking: new major version)' : ''}: ${report.recommendation.reason}`,
      );
  }
  if (result.edits.length > 0) {
    lines.push('', 'Manifest edits (--fix applies them):');
    for (const edit of result.edits)
      lines.push(
        `  ${edit.file}${edit.line ? `:${edit.line}` : ''} ${edit.name}: "${edit.from}" -> "${edit.to}"`,
      );
  }
  if (result.warnings.length > 0)
    lines.push('', 'Warnings:', ...result.warnings.map((warning) => `  - ${warning}`));
  lines.push(
    '',
    `${result.stats.requests} registry requests, ${result.stats.cacheHits} cache hits, ${result.stats.durationMs} ms.`,
  );
  return `${lines.join('\n')}\n`;
}
