import { createHash } from 'node:crypto';

/**
 * SHA-256 hex of the canonical JSON of a request body: object keys sorted at every depth, so two bodies that
 * differ only in key order (or whitespace) hash the same. `undefined` (no body) hashes like `null`.
 *
 * @example
 * hashRequestBody({ b: 1, a: [1, { d: 2, c: 3 }] }) === hashRequestBody({ a: [1, { c: 3, d: 2 }], b: 1 }); // true
 */
export function hashRequestBody(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * JSON text with object keys in sorted order; `undefined` members are left out, as `JSON.stringify` does.
 *
 * @example
 * canonicalJson({ b: 1, a: true }); // '{"a":true,"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
