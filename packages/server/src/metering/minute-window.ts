const secondMs = 1_000;
const seconds = 60;

/**
 * A sliding one-minute sum in one-second buckets: adding is O(1) and reading O(60), however many events the
 * minute holds (a list of events, filtered on each request, grew with the request rate). Times are milliseconds;
 * an event counts for 60 seconds from the start of its second.
 *
 * @example
 * const window = new MinuteWindow();
 * window.add(Date.now(), 120);
 * window.total(Date.now()); // 120
 */
export class MinuteWindow {
  readonly #amounts = new Float64Array(seconds);
  readonly #secondOf = new Float64Array(seconds).fill(-1);

  add(at: number, amount: number): void {
    const second = Math.floor(at / secondMs);
    const slot = second % seconds;
    if (this.#secondOf[slot] !== second) {
      this.#secondOf[slot] = second;
      this.#amounts[slot] = 0;
    }
    this.#amounts[slot] = (this.#amounts[slot] ?? 0) + amount;
  }

  /** The sum of what was added in the minute up to `at`. */
  total(at: number): number {
    const now = Math.floor(at / secondMs);
    let sum = 0;
    for (let slot = 0; slot < seconds; slot += 1) {
      const second = this.#secondOf[slot] ?? -1;
      if (second > now - seconds && second <= now) sum += this.#amounts[slot] ?? 0;
    }
    return sum;
  }

  /** When the oldest amount still in the window was added (start of its second), or `undefined` if none. */
  oldest(at: number): number | undefined {
    const now = Math.floor(at / secondMs);
    let oldest: number | undefined;
    for (let slot = 0; slot < seconds; slot += 1) {
      const second = this.#secondOf[slot] ?? -1;
      if (second > now - seconds && second <= now && (this.#amounts[slot] ?? 0) > 0) {
        oldest = oldest === undefined ? second : Math.min(oldest, second);
      }
    }
    return oldest === undefined ? undefined : oldest * secondMs;
  }
}
