import { createRequire } from 'node:module';
import type { EncodedValue } from './encoded-value.ts';
import type { VectorClass } from './test-vector.ts';

/** A catalogue entry: a value, its class and why it is worth trying. */
export interface CatalogueValue {
  value: EncodedValue;
  vectorClass: VectorClass;
  rationale: string;
}

const entry = (value: EncodedValue, vectorClass: VectorClass, rationale: string): CatalogueValue => ({
  value,
  vectorClass,
  rationale,
});

export const numberBoundaries: CatalogueValue[] = [
  entry(0, 'boundary', 'zero'),
  entry({ $: '-0' }, 'boundary', 'negative zero'),
  entry(1, 'boundary', 'one'),
  entry(-1, 'boundary', 'minus one'),
  entry(2, 'boundary', 'two'),
  entry(10, 'boundary', 'a small round number'),
  entry(255, 'boundary', 'byte maximum'),
  entry(256, 'boundary', 'one past the byte maximum'),
  entry(2 ** 31 - 1, 'boundary', '32-bit signed maximum'),
  entry(2 ** 31, 'boundary', 'one past the 32-bit signed maximum (2**31)'),
  entry(-(2 ** 31), 'boundary', '32-bit signed minimum'),
  entry(2 ** 32, 'boundary', '2**32: 32-bit unsigned overflow'),
  entry(Number.MAX_SAFE_INTEGER, 'boundary', 'Number.MAX_SAFE_INTEGER'),
  entry(Number.MIN_SAFE_INTEGER, 'boundary', 'Number.MIN_SAFE_INTEGER'),
  entry(2 ** 53, 'boundary', '2**53: integers stop being exact above this'),
  entry(1e21, 'boundary', '1e21: the first number JavaScript prints in exponent form'),
];

export const fractionalNumbers: CatalogueValue[] = [
  entry(0.5, 'boundary', 'a half: rounding direction'),
  entry(1.5, 'boundary', '1.5: rounding half up or to even'),
  entry(2.5, 'boundary', '2.5: rounding half to even differs from half up'),
  entry(-0.5, 'boundary', '-0.5: rounding of negative halves'),
  entry(-1.5, 'boundary', '-1.5: rounding of negative halves'),
  entry(0.1, 'boundary', '0.1: not exact in binary floating point'),
  entry(1.005, 'boundary', '1.005: the classic toFixed rounding trap'),
  entry(Number.EPSILON, 'boundary', 'machine epsilon'),
  entry(5e-324, 'boundary', 'smallest denormal number'),
  entry(1.7976931348623157e308, 'boundary', 'largest finite double'),
  entry(-1e308, 'boundary', 'a huge negative float'),
];

export const nonFiniteNumbers: CatalogueValue[] = [
  entry({ $: 'nan' }, 'boundary', 'NaN'),
  entry({ $: 'infinity' }, 'boundary', 'Infinity'),
  entry({ $: '-infinity' }, 'boundary', '-Infinity'),
];

/** Integers beyond 64 bits, for languages whose integers are unbounded (Python). */
export const bigIntegers: CatalogueValue[] = [
  entry({ $: 'bigint', v: String(2n ** 53n + 1n) }, 'boundary', '2**53+1: not representable as a double'),
  entry({ $: 'bigint', v: String(2n ** 63n) }, 'boundary', '2**63: one past the 64-bit signed maximum'),
  entry({ $: 'bigint', v: String(-(2n ** 63n) - 1n) }, 'boundary', 'one below the 64-bit signed minimum'),
  entry({ $: 'bigint', v: String(10n ** 30n) }, 'boundary', '10**30: a huge integer'),
];

export const plainStrings: CatalogueValue[] = [
  entry('', 'string', 'empty string'),
  entry(' ', 'string', 'a single space'),
  entry(' \t\n ', 'string', 'whitespace only'),
  entry('a', 'string', 'one character'),
  entry('A', 'string', 'one upper-case character'),
  entry('HELLO WORLD', 'string', 'upper case'),
  entry('Hello World', 'string', 'title case'),
  entry('  hello  ', 'string', 'leading and trailing spaces'),
  entry('hello\n', 'string', 'trailing newline'),
  entry('hello-world_again.x', 'string', 'separators'),
  entry('0', 'string', 'numeric string zero'),
  entry('-1', 'string', 'negative numeric string'),
  entry('1e3', 'string', 'exponent numeric string'),
  entry('NaN', 'string', 'the string NaN'),
  entry('null', 'string', 'the string null'),
  entry('00123', 'string', 'leading zeros'),
  entry({ $: 'repeat', v: 'a', n: 1_000_000 }, 'string', 'a 1 MB string'),
  entry({ $: 'repeat', v: 'lorem ipsum ', n: 90_000 }, 'string', 'about 1 MB of words'),
];

export const unicodeStrings: CatalogueValue[] = [
  entry('café', 'unicode', 'precomposed accent (NFC)'),
  entry('cafe\u0301', 'unicode', 'combining accent (NFD)'),
  entry('👍', 'unicode', 'emoji outside the BMP (a surrogate pair)'),
  entry('a👍b👍c', 'unicode', 'emoji between letters: slicing by code unit splits pairs'),
  entry('👍🏽👨‍👩‍👧', 'unicode', 'skin-tone modifier and ZWJ family'),
  entry('\u202Eabc', 'unicode', 'right-to-left override'),
  entry('مرحبا بالعالم', 'unicode', 'right-to-left script'),
  entry('日本語のテキスト', 'unicode', 'CJK text'),
  entry('İstanbul ß ﬀ', 'unicode', 'case mapping that changes length'),
  entry('\uD800', 'unicode', 'a lone high surrogate'),
  entry('a\uDC00b', 'unicode', 'a lone low surrogate'),
  entry('a\u0000b', 'unicode', 'an embedded NUL byte'),
  entry('\uFEFFhello', 'unicode', 'a byte-order mark'),
  entry('zero\u200Bwidth', 'unicode', 'a zero-width space'),
];

export const securityStrings: CatalogueValue[] = [
  entry("' OR '1'='1", 'security', 'SQL injection: tautology'),
  entry("'; DROP TABLE users; --", 'security', 'SQL injection: stacked query'),
  entry('<script>alert(1)</script>', 'security', 'XSS: script tag'),
  entry('"><img src=x onerror=alert(1)>', 'security', 'XSS: attribute breakout'),
  entry('javascript:alert(1)', 'security', 'XSS: javascript: URL'),
  entry('../../../etc/passwd', 'security', 'path traversal'),
  entry('..\\..\\windows\\win.ini', 'security', 'path traversal with backslashes'),
  entry('; rm -rf / #', 'security', 'command injection: separator'),
  entry('$(id)', 'security', 'command injection: substitution'),
  entry('`id`', 'security', 'command injection: backticks'),
  entry('{{7*7}}', 'security', 'template injection'),
  entry('${7*7}', 'security', 'template literal injection'),
  entry('*)(uid=*))(|(uid=*', 'security', 'LDAP filter injection'),
  entry('{"$gt": ""}', 'security', 'NoSQL operator injection'),
  entry('%s%s%s%n', 'security', 'format string'),
  entry('{0.__class__}', 'security', 'Python format-string attribute access'),
  entry('value\r\nSet-Cookie: admin=1', 'security', 'CRLF injection'),
  entry('__proto__', 'security', 'prototype-pollution key as a string'),
];

export const redosStrings: CatalogueValue[] = [
  entry(`${'a'.repeat(40)}!`, 'security', 'ReDoS: nested quantifiers on a short non-match'),
  entry({ $: 'repeat', v: 'a', n: 30_000 }, 'security', 'ReDoS: 30,000 repeated characters'),
  entry(`${'0'.repeat(40)}x`, 'security', 'ReDoS: digits then a non-match'),
  entry(
    `${' '.repeat(30_000)}x`,
    'security',
    'ReDoS: 30,000 spaces before a character (quadratic trim patterns)',
  ),
  entry(`x@${'a.'.repeat(10_000)}`, 'security', 'ReDoS: e-mail-shaped input with 10,000 labels'),
];

export const dateStrings: CatalogueValue[] = [
  entry('2024-02-29', 'date', 'leap day'),
  entry('2023-02-29', 'date', 'leap day in a non-leap year (invalid)'),
  entry('2024-13-01', 'date', 'month 13 (invalid)'),
  entry('2024-03-10T02:30:00', 'date', 'inside the US daylight-saving gap'),
  entry('1970-01-01T00:00:00Z', 'date', 'the Unix epoch'),
  entry('2038-01-19T03:14:08Z', 'date', 'one second past the 32-bit time_t limit'),
  entry('9999-12-31', 'date', 'the last four-digit year'),
  entry('not a date', 'date', 'not a date at all'),
];

export const dateValues: CatalogueValue[] = [
  entry({ $: 'date', v: '1970-01-01T00:00:00.000Z' }, 'date', 'the Unix epoch'),
  entry({ $: 'date', v: '1969-12-31T23:59:59.999Z' }, 'date', 'just before the epoch'),
  entry({ $: 'date', v: '2024-02-29T12:00:00.000Z' }, 'date', 'leap day'),
  entry({ $: 'date', v: '2024-03-10T10:00:00.000Z' }, 'date', 'US daylight-saving start'),
  entry({ $: 'date', v: '2024-11-03T06:30:00.000Z' }, 'date', 'US daylight-saving end (repeated hour)'),
  entry({ $: 'date', v: '2038-01-19T03:14:08.000Z' }, 'date', 'past the 32-bit time_t limit'),
  entry({ $: 'date', v: '9999-12-31T23:59:59.000Z' }, 'date', 'the last four-digit year'),
  entry({ $: 'date', v: null }, 'date', 'an invalid date'),
];

export const formatTypicals: Record<string, string> = {
  email: 'user@example.com',
  'iso-date': '2024-01-15',
  url: 'https://example.com/a/b?c=1',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  path: 'docs/readme.md',
};

const naughtyStrings = createRequire(import.meta.url)('big-list-of-naughty-strings') as string[];

/**
 * A seeded sample of the Big List of Naughty Strings (MIT), without the ones the catalogue already has.
 *
 * @example sampleNaughtyStrings(1, 3).length // => 3
 */
export function sampleNaughtyStrings(seed: number, count: number): CatalogueValue[] {
  const candidates = naughtyStrings.filter((text) => text.length > 0 && text.length < 200);
  const picked: CatalogueValue[] = [];
  let state = seed >>> 0 || 1;
  const used = new Set<number>();
  while (picked.length < Math.min(count, candidates.length)) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const index = state % candidates.length;
    if (used.has(index)) continue;
    used.add(index);
    picked.push(entry(candidates[index] ?? '', 'string', 'from the Big List of Naughty Strings'));
  }
  return picked;
}
