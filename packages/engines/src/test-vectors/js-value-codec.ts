// This file has no imports on purpose: the Vitest emitter copies it next to the emitted tests so that they
// describe values exactly as the Node executor did when the vectors ran.
import type { EncodedValue } from './encoded-value.ts';

const maximumStringLength = 1_100_000;
const maximumCollectionSize = 100_000;
const maximumDepth = 64;

/**
 * Describes any JavaScript value as an `EncodedValue`: NaN, infinities, -0, bigint, dates, sparse arrays,
 * maps, sets, class instances (with their class name), cycles and functions all survive JSON; huge or deep
 * values are truncated with a reason.
 *
 * @example encodeValue([NaN, 1n, undefined]) // => [{ $: 'nan' }, { $: 'bigint', v: '1' }, { $: 'undefined' }]
 */
export function encodeValue(value: unknown): EncodedValue {
  return encodeAt(value, [], 0);
}

function encodeAt(value: unknown, ancestors: object[], depth: number): EncodedValue {
  switch (typeof value) {
    case 'undefined':
      return { $: 'undefined' };
    case 'boolean':
      return value;
    case 'number':
      if (Number.isNaN(value)) return { $: 'nan' };
      if (value === Infinity) return { $: 'infinity' };
      if (value === -Infinity) return { $: '-infinity' };
      if (Object.is(value, -0)) return { $: '-0' };
      return value;
    case 'bigint':
      return { $: 'bigint', v: value.toString() };
    case 'string':
      return value.length > maximumStringLength
        ? { $: 'truncated', reason: `string of ${value.length} characters` }
        : value;
    case 'symbol':
      return { $: 'symbol', v: value.description ?? '' };
    case 'function':
      return { $: 'function', name: value.name };
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.includes(object)) return { $: 'cycle' };
  if (depth >= maximumDepth) return { $: 'truncated', reason: `nested deeper than ${maximumDepth} levels` };
  const inner = [...ancestors, object];
  const encodeChild = (child: unknown) => encodeAt(child, inner, depth + 1);

  if (object instanceof Date)
    return { $: 'date', v: Number.isNaN(object.getTime()) ? null : object.toISOString() };
  if (Array.isArray(object)) {
    if (object.length > maximumCollectionSize)
      return { $: 'truncated', reason: `array of ${object.length} elements` };
    const present = Object.keys(object).filter((key) => /^\d+$/.test(key)).length;
    if (present < object.length) {
      const entries: [number, EncodedValue][] = [];
      object.forEach((element, index) => entries.push([index, encodeChild(element)]));
      return { $: 'sparse', length: object.length, v: entries };
    }
    return object.map(encodeChild);
  }
  if (object instanceof Map) {
    if (object.size > maximumCollectionSize)
      return { $: 'truncated', reason: `map of ${object.size} entries` };
    return { $: 'map', v: [...object].map(([key, entry]) => [encodeChild(key), encodeChild(entry)]) };
  }
  if (object instanceof Set) {
    if (object.size > maximumCollectionSize)
      return { $: 'truncated', reason: `set of ${object.size} elements` };
    return { $: 'set', v: [...object].map(encodeChild) };
  }
  if (ArrayBuffer.isView(object)) {
    const bytes = new Uint8Array(object.buffer, object.byteOffset, object.byteLength);
    return { $: 'bytes', v: Buffer.from(bytes).toString('base64') };
  }
  if (object instanceof Error) return { $: 'opaque', type: object.name, repr: object.message.slice(0, 200) };
  if (object instanceof RegExp) return { $: 'opaque', type: 'RegExp', repr: String(object) };
  if (object instanceof Promise) return { $: 'opaque', type: 'Promise', repr: 'Promise' };
  const prototype: unknown = Object.getPrototypeOf(object);
  const keys = Object.keys(object);
  if (keys.length > maximumCollectionSize)
    return { $: 'truncated', reason: `object with ${keys.length} keys` };
  const entries = keys.map((key): [string, EncodedValue] => [
    key,
    encodeChild((object as Record<string, unknown>)[key]),
  ]);
  if (prototype === Object.prototype || prototype === null) return { $: 'object', v: entries };
  const className = (object.constructor as { name?: unknown } | undefined)?.name;
  return { $: 'object', v: entries, class: typeof className === 'string' ? className : 'Object' };
}

/**
 * Builds the JavaScript value an `EncodedValue` stands for. Object keys are defined as own properties, so a
 * `__proto__` key arrives the way `JSON.parse` would deliver it from a request body.
 *
 * @example decodeValue({ $: 'repeat', v: 'ab', n: 3 }) // => 'ababab'
 */
export function decodeValue(encoded: EncodedValue): unknown {
  if (encoded === null || typeof encoded !== 'object') return encoded;
  if (Array.isArray(encoded)) return encoded.map(decodeValue);
  switch (encoded.$) {
    case 'undefined':
      return undefined;
    case 'nan':
      return NaN;
    case 'infinity':
      return Infinity;
    case '-infinity':
      return -Infinity;
    case '-0':
      return -0;
    case 'bigint':
      return BigInt(encoded.v);
    case 'date':
      return new Date(encoded.v ?? NaN);
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const [key, entry] of encoded.v) {
        Object.defineProperty(object, key, {
          value: decodeValue(entry),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
    case 'tuple':
      return encoded.v.map(decodeValue);
    case 'set':
      return new Set(encoded.v.map(decodeValue));
    case 'map':
      return new Map(encoded.v.map(([key, entry]) => [decodeValue(key), decodeValue(entry)]));
    case 'sparse': {
      const array: unknown[] = new Array<unknown>(encoded.length);
      for (const [index, entry] of encoded.v) array[index] = decodeValue(entry);
      return array;
    }
    case 'repeat':
      return encoded.v.repeat(encoded.n);
    case 'array-repeat':
      return Array.from({ length: encoded.n }, () => decodeValue(encoded.v));
    case 'nested': {
      let nested: unknown = decodeValue(encoded.leaf);
      for (let level = 0; level < encoded.depth; level += 1) nested = [nested];
      return nested;
    }
    case 'bytes':
      return new Uint8Array(Buffer.from(encoded.v, 'base64'));
    default:
      throw new TypeError(`cannot decode a value tagged "${encoded.$}" into an argument`);
  }
}
