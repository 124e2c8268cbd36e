import type { FileFacts } from '../../code-graph/file-facts.ts';
import type { Hotspot } from './architecture-report.ts';

/** How many hotspots the report lists. */
export const hotspotLimit = 50;

/**
 * Files ranked by complexity × churn (the sum of their definitions' cyclomatic complexity times the commits
 * touching them), highest first; files with no churn are not hotspots. Adam Tornhill's measure: complex code
 * that keeps changing is where defects and effort concentrate.
 *
 * @example findHotspots(files, new Map([['src/app.ts', 4]]))[0] // => { file: 'src/app.ts', complexity: 7, churn: 4, score: 28 }
 */
export function findHotspots(
  files: ReadonlyMap<string, FileFacts>,
  churn: ReadonlyMap<string, number>,
  limit = hotspotLimit,
): Hotspot[] {
  const hotspots: Hotspot[] = [];
  for (const [file, facts] of files) {
    const commits = churn.get(file) ?? 0;
    if (commits === 0) continue;
    const complexity = facts.definitions.reduce((sum, definition) => sum + definition.complexity, 0);
    hotspots.push({ file, complexity, churn: commits, score: complexity * commits });
  }
  return hotspots
    .sort(
      (left, right) =>
        right.score - left.score || right.churn - left.churn || left.file.localeCompare(right.file),
    )
    .slice(0, limit);
}
