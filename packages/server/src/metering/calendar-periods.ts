/**
 * UTC calendar periods for budgets: a monthly budget resets at 00:00 UTC on the 1st, a daily one at 00:00 UTC.
 *
 * @example
 * startOfUtcMonth(Date.parse('2026-11-23T12:00:00Z')); // Date.parse('2026-11-01T00:00:00Z')
 */
export function startOfUtcMonth(at: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

export function startOfNextUtcMonth(at: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

export function startOfUtcDay(at: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

export function startOfNextUtcDay(at: number): number {
  return startOfUtcDay(at) + 86_400_000;
}
