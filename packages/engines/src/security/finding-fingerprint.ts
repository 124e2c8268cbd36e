import { createHash } from 'node:crypto';

/**
 * A finding's stable identity: rule id + file + whitespace-normalized matched text (+ occurrence number for
 * identical matches), so it survives lines moving.
 *
 * @example findingFingerprint('js-eval', 'a.js', 'eval( x )', 0) === findingFingerprint('js-eval', 'a.js', 'eval(x)', 0) // => false
 */
export function findingFingerprint(
  ruleId: string,
  file: string,
  matchedText: string,
  occurrence: number,
): string {
  const normalized = matchedText.replace(/\s+/g, ' ').trim().slice(0, 500);
  return createHash('sha256')
    .update(`${ruleId}\0${file.replace(/\\/g, '/')}\0${normalized}\0${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}
