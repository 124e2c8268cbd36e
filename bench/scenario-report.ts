/** One performance target and whether this run met it. Missing a target is reported, never an exit code. */
export interface TargetCheck {
  name: string;
  value: number;
  comparison: '<=' | '>=';
  limit: number;
  unit: string;
  passed: boolean;
}

/** What a scenario hands back to the runner: a table to print, targets to check, and every number for JSON. */
export interface ScenarioReport {
  name: string;
  title: string;
  table: { headers: string[]; rows: string[][] };
  /** Lines printed under the table (how to read it, caveats seen during the run). */
  notes: string[];
  targets: TargetCheck[];
  data: unknown;
}

/**
 * Compares a measured value with its limit. NaN (nothing measured) fails.
 *
 * @example
 * checkTarget({ name: 'added p50 latency', value: 0.4, comparison: '<=', limit: 1, unit: 'ms' }).passed; // true
 */
export function checkTarget(target: Omit<TargetCheck, 'passed'>): TargetCheck {
  const passed = target.comparison === '<=' ? target.value <= target.limit : target.value >= target.limit;
  return { ...target, passed: Number.isFinite(target.value) && passed };
}

/**
 * Formats a number for the table: fixed decimals, thousands separators, `n/a` for NaN.
 *
 * @example
 * formatNumber(12345.678, 1); // '12,345.7'
 */
export function formatNumber(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * Formats a difference with its sign.
 *
 * @example
 * formatSigned(0.25); // '+0.25'
 */
export function formatSigned(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return 'n/a';
  // Round first so a tiny negative difference prints as +0.00, not -0.00.
  const rounded = Number(value.toFixed(decimals)) || 0;
  return `${rounded >= 0 ? '+' : ''}${formatNumber(rounded, decimals)}`;
}
