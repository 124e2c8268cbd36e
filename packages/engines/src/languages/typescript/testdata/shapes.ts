export enum Color { Red = 'red', Green = 'green' }
interface Point { x: number; y?: number }
type Id = string | number;
/**
 * Clamps a value. `lo` must be at most `hi`.
 * @param value the value, an integer
 * @param lo lower bound, between 0 and 100
 * @throws {RangeError} when lo > hi
 * @example clamp(5, 0, 3) // => 3
 * @example clamp(-1, 0, 3) // => 0
 * @example clamp(1, 5, 3) // throws RangeError
 */
export function clamp(value: number, lo: number, hi = 10): number { return Math.min(Math.max(value, lo), hi); }
export const f = async (p: Point, c: Color, id: Id, xs: readonly string[], t: [number, boolean], r: Record<string, number>, d?: Date, ...rest: bigint[]): Promise<Point[]> => [p];
export function g<T extends string>(x: T, cb: () => void, s: Set<number>, o: { a: 1 | 2 }): T | null { return x; }
export class Cart { total(xs: number[]): number { return xs.length; } static make(n: number): Cart { return new Cart(); } private hidden() {} }
export default function (y: boolean) { return y; }
