/**
 * The order in which to run the targets in round `round`: rotated every other round and reversed on odd
 * rounds, so each target runs first, last and in between about equally often and slow drift on a shared
 * machine does not favour one (with three targets, six rounds cover every order).
 *
 * @example
 * rotateOrder(['a', 'b', 'c'], 0); // ['a', 'b', 'c']
 * rotateOrder(['a', 'b', 'c'], 1); // ['c', 'b', 'a']
 * rotateOrder(['a', 'b', 'c'], 2); // ['b', 'c', 'a']
 */
export function rotateOrder<T>(items: readonly T[], round: number): T[] {
  const shift = Math.floor(round / 2) % items.length;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return round % 2 === 1 ? rotated.reverse() : rotated;
}
