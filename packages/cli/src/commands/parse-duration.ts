import { InvalidArgumentError } from 'commander';

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Parses a lifetime flag such as `30d`, `12h`, `90m`, `3600s` or `2w` into seconds (commander argParser:
 * anything else is a usage error, exit 2).
 *
 * @example
 * parseDuration('30d'); // 2592000
 */
export function parseDuration(value: string): number {
  const match = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  const amount = Number(match?.[1]);
  if (!match || amount <= 0) {
    throw new InvalidArgumentError(
      'Give a positive duration with a unit: s, m, h, d or w (for example 30d, 12h, 90m).',
    );
  }
  return amount * (unitSeconds[match[2] ?? 's'] ?? 1);
}
