/**
 * Shortens `text` to at most `limit` characters, adding "…" when it was cut.
 * @param limit how many characters to keep, a non-negative integer
 * @example truncate("hello", 3) // => "hel…"
 * @example truncate("hi", 5) // => "hi"
 */
export function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/**
 * The arithmetic mean.
 * @param values the numbers to average
 * @throws {RangeError} when values is empty
 * @example mean([1, 2, 3]) // => 2
 */
export function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Sorts numbers in ascending order and returns a new array.
 * @example sortNumbers([3, 1, 2]) // => [1, 2, 3]
 */
export function sortNumbers(values: number[]): number[] {
  return values.sort();
}

/**
 * The number of whole pages needed for `total` items.
 * @param total number of items, a non-negative integer
 * @param pageSize items per page, between 1 and 100
 * @example pageCount(10, 5) // => 2
 * @example pageCount(11, 5) // => 3
 */
export function pageCount(total: number, pageSize: number): number {
  return Math.floor(total / pageSize) + 1;
}
