// Functions with one known behaviour each, driven by vector-executor.test.ts.
export function add(a: number, b: number): number {
  return a + b;
}
export function first(values: number[]): number {
  return values[0]!.valueOf();
}
export function checked(value: number): number {
  if (value < 0) throw new RangeError('value must be non-negative');
  return value;
}
export function sortInPlace(values: number[]): number[] {
  return values.sort((left, right) => left - right);
}
export function roll(): number {
  return Math.random();
}
export function* count(limit: number): Generator<number> {
  for (let index = 0; index < limit; index += 1) yield index;
}
export async function later(value: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return value.toUpperCase();
}
export function spin(): never {
  for (;;) {
    // A hang: the engine must kill the process and carry on.
  }
}
export function exitProcess(): void {
  process.exit(3);
}
export function describeAll(): unknown {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  return [NaN, -0, Infinity, 10n, undefined, new Date(0), new Set([1]), new Map([['a', 1]]), cyclic, '\uD800'];
}
export function noisy(value: string): string {
  console.log('output of the code under test must not disturb the protocol');
  return value;
}
export class Counter {
  total(values: number[]): number {
    return values.length;
  }
  static zero(): number {
    return 0;
  }
}

export function unsafeMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value && typeof value === 'object') {
      target[key] ??= {};
      unsafeMerge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
  return target;
}
