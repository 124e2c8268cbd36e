export interface TestSpectrum {
  passed: boolean;
  lines: Map<string, Set<number>>;
}

export interface SuspiciousLine {
  file: string;
  line: number;
  /** Ochiai: failed(line) / sqrt(totalFailed * (failed(line) + passed(line))). */
  score: number;
  executedByFailing: number;
  executedByPassing: number;
  /** Pessimistic rank: how many lines score at least as high (ties count against the line). */
  rank: number;
}

/**
 * Ranks lines by Ochiai suspiciousness from per-test line coverage: lines run by failing tests and rarely by
 * passing ones come first. Ties share the pessimistic rank so a tie never looks better than it is.
 *
 * @example rankSuspiciousLines([{ passed: false, lines }, { passed: true, lines: other }])[0] // => { file, line: 9, score: 1, rank: 1, ... }
 */
export function rankSuspiciousLines(
  spectra: TestSpectrum[],
  include: (file: string) => boolean = () => true,
): SuspiciousLine[] {
  const totalFailed = spectra.filter((spectrum) => !spectrum.passed).length;
  if (totalFailed === 0) return [];
  const counts = new Map<string, { file: string; line: number; failed: number; passed: number }>();
  for (const spectrum of spectra) {
    for (const [file, lines] of spectrum.lines) {
      if (!include(file)) continue;
      for (const line of lines) {
        const key = `${file}:${line}`;
        const entry = counts.get(key) ?? { file, line, failed: 0, passed: 0 };
        if (spectrum.passed) entry.passed++;
        else entry.failed++;
        counts.set(key, entry);
      }
    }
  }
  const scored = [...counts.values()]
    .filter((entry) => entry.failed > 0)
    .map((entry) => ({
      file: entry.file,
      line: entry.line,
      score: entry.failed / Math.sqrt(totalFailed * (entry.failed + entry.passed)),
      executedByFailing: entry.failed,
      executedByPassing: entry.passed,
      rank: 0,
    }))
    .sort((a, b) => b.score - a.score || a.file.localeCompare(b.file) || a.line - b.line);
  for (const entry of scored)
    entry.rank = scored.filter((other) => other.score >= entry.score - 1e-12).length;
  return scored;
}
