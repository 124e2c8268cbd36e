import type { ArchitectureReport } from './architecture-report.ts';

/**
 * The architecture report as text for a terminal: summary, cycles with the edges that close them, layer
 * violations with their import lines, the least stable and the farthest-from-main-sequence modules,
 * hotspots and dead-code candidates.
 *
 * @example formatArchitectureReport(report).split('\n')[0] // => 'Architecture (folder level): 12 modules, ...'
 */
export function formatArchitectureReport(report: ArchitectureReport, options: { top?: number } = {}): string {
  const top = options.top ?? 10;
  const { summary } = report;
  const out = [
    `Architecture (${report.level} level): ${summary.modules} modules from ${summary.files} files, ${summary.dependencies} dependencies, ${summary.cycles} cycle${summary.cycles === 1 ? '' : 's'}, ${summary.layerViolations} layer violation${summary.layerViolations === 1 ? '' : 's'}.`,
  ];
  if (report.cycles.length > 0) {
    out.push('', 'Cycles (break the closing edges to remove them):');
    for (const cycle of report.cycles) {
      out.push(`  ${cycle.modules.join(' -> ')} -> ${cycle.modules[0] ?? ''}`);
      for (const edge of cycle.closingEdges) {
        const at = edge.imports[0];
        out.push(
          `    close: ${edge.from} -> ${edge.to} (${edge.weight} import${edge.weight === 1 ? '' : 's'})${at ? ` e.g. ${at.from}:${at.line ?? '?'} imports ${at.specifier}` : ''}`,
        );
      }
    }
  }
  if (report.layerViolations.length > 0) {
    out.push('', 'Layer violations:');
    for (const violation of report.layerViolations.slice(0, top * 5))
      out.push(
        `  ${violation.file}:${violation.line ?? '?'} ${violation.rule}: imports ${violation.specifier}${violation.typeOnly ? ' (type only)' : ''}`,
      );
  }
  const measured = report.modules.filter((module) => module.instability !== null);
  if (measured.length > 0) {
    out.push(
      '',
      `Modules by fan-in (Ca), fan-out (Ce), instability I = Ce/(Ca+Ce), abstractness A, distance |A+I-1|:`,
    );
    const sorted = [...measured].sort(
      (left, right) => right.fanIn + right.fanOut - (left.fanIn + left.fanOut),
    );
    for (const module of sorted.slice(0, top))
      out.push(
        `  ${module.id.padEnd(40)} Ca ${String(module.fanIn).padStart(3)}  Ce ${String(module.fanOut).padStart(3)}  I ${format(module.instability)}  A ${format(module.abstractness)}  D ${format(module.distance)}`,
      );
  }
  if (report.hotspots && report.hotspots.length > 0) {
    out.push('', 'Hotspots (complexity x commits in the last year):');
    for (const hotspot of report.hotspots.slice(0, top))
      out.push(
        `  ${hotspot.file}: complexity ${hotspot.complexity} x ${hotspot.churn} commits = ${hotspot.score}`,
      );
  }
  if (report.deadCodeCandidates.length > 0) {
    out.push(
      '',
      `Dead-code candidates (${report.deadCodeCandidates.length}; ${report.deadCodeCandidatesNote}):`,
    );
    for (const candidate of report.deadCodeCandidates.slice(0, top))
      out.push(`  ${candidate.file}:${candidate.line} ${candidate.kind} ${candidate.name}`);
  }
  for (const warning of report.warnings) out.push(`warning: ${warning}`);
  return out.join('\n');
}

function format(value: number | null): string {
  return value === null ? '  - ' : value.toFixed(2);
}
