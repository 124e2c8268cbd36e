/**
 * Values as they travel between the engine and the executors (Node, Python) and into result JSON: plain JSON
 * for strings, finite numbers, booleans, null and arrays; tagged objects `{ "$": tag, ... }` for everything
 * JSON cannot say. Plain objects are always tagged (`object`, with entries) so keys such as `__proto__` or `$`
 * survive, and so are the generators for huge inputs (`repeat`, `array-repeat`, `nested`) that keep vectors
 * small on the wire.
 */
export type EncodedValue =
  | string
  | number
  | boolean
  | null
  | EncodedValue[]
  | { $: 'undefined' }
  | { $: 'nan' }
  | { $: 'infinity' }
  | { $: '-infinity' }
  | { $: '-0' }
  | { $: 'bigint'; v: string }
  | { $: 'date'; v: string | null }
  | { $: 'object'; v: [string, EncodedValue][]; class?: string }
  | { $: 'tuple'; v: EncodedValue[] }
  | { $: 'set'; v: EncodedValue[] }
  | { $: 'map'; v: [EncodedValue, EncodedValue][] }
  | { $: 'sparse'; length: number; v: [number, EncodedValue][] }
  | { $: 'repeat'; v: string; n: number }
  | { $: 'array-repeat'; v: EncodedValue; n: number }
  | { $: 'nested'; depth: number; leaf: EncodedValue }
  | { $: 'bytes'; v: string }
  | { $: 'function'; name: string }
  | { $: 'symbol'; v: string }
  | { $: 'cycle' }
  | { $: 'truncated'; reason: string }
  | { $: 'opaque'; type: string; repr: string };

/** Tags whose values are produced only by executors when describing results, never sent as arguments. */
export const resultOnlyTags = new Set(['function', 'symbol', 'cycle', 'truncated', 'opaque']);
