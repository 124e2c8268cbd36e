/** Permissive licenses accepted by default. */
export const defaultLicenseAllowList: readonly string[] = [
  'MIT',
  'MIT-0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'Unlicense',
  'CC0-1.0',
  'BlueOak-1.0.0',
  'Python-2.0',
  'PSF-2.0',
  'Zlib',
  'WTFPL',
  'BSD',
];

/**
 * Whether an SPDX expression is acceptable: `A OR B` when either is allowed, `A AND B` when both are.
 * Comparison ignores case and a trailing `License`.
 *
 * @example isLicenseAllowed('(MIT OR GPL-3.0)', ['MIT']) // => true
 */
export function isLicenseAllowed(expression: string, allowList: readonly string[]): boolean {
  let allowed = allowedSets.get(allowList);
  if (!allowed) {
    allowed = new Set(allowList.map(normalizeLicense));
    allowedSets.set(allowList, allowed);
  }
  const accepted = allowed;
  const text = expression.replace(/[()]/g, ' ').trim();
  return text
    .split(/\s+OR\s+/i)
    .some((alternative) =>
      alternative
        .split(/\s+AND\s+/i)
        .every((part) => accepted.has(normalizeLicense(part.replace(/\s+WITH\s+.*$/i, '')))),
    );
}

/** One normalized set per allow-list: a lockfile checks thousands of licenses against the same list. */
const allowedSets = new WeakMap<readonly string[], Set<string>>();

function normalizeLicense(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+license$/, '')
    .replace(/^the\s+/, '');
}
