import { describe, expect, it } from 'vitest';
import { asciiRegex } from './ascii-regex.ts';

/** JavaScript equivalent of a Rust regex for these tests (`(?i)` prefix as a flag, `(?-u:\b)` as `\b`). */
function javascript(source: string): RegExp {
  if (source.startsWith('(?i)')) return new RegExp(source.slice(4), 'i');
  return new RegExp(source.replace(/\(\?-u:(\\[bB])\)/g, '$1'));
}

describe('asciiRegex', () => {
  it('expands a leading (?i) into explicit letter classes, inside and outside character classes', () => {
    expect(asciiRegex('(?i)^token$')).toBe('^[tT][oO][kK][eE][nN]$');
    expect(asciiRegex('(?i)[a-c_]x')).toBe('[a-c_A-C][xX]');
  });

  it('replaces Unicode shorthand classes and word boundaries with ASCII ones', () => {
    expect(asciiRegex('\\w+\\s*\\d')).toBe('[0-9A-Za-z_]+[\\t\\n\\x0B\\f\\r ]*[0-9]');
    expect(asciiRegex('\\bexec\\b')).toBe('(?-u:\\b)exec(?-u:\\b)');
    expect(asciiRegex('[^\\s@]+')).toBe('[^\\t\\n\\x0B\\f\\r @]+');
  });

  it('keeps the same matches on ASCII text', () => {
    const regexes = [
      '(?i)^(password|passwd|pwd|token|api_?key)$',
      '(?i)(db|pool)\\s*\\.\\s*\\$?(query|execute)$',
      '^[\'"]?(rejectUnauthorized|strictSSL)[\'"]?\\s*:\\s*(false|0)$',
      '(?i)[a-z_]+key\\d{1,3}',
      '\\W\\S\\D',
    ];
    const samples = [
      'Password',
      'API_KEY',
      'apikey',
      'db.query',
      'Pool . execute',
      "'strictSSL': 0",
      'x_key12',
      ' a-',
      'tokens',
    ];
    for (const regex of regexes)
      for (const sample of samples)
        expect(javascript(asciiRegex(regex)).test(sample), `${regex} on ${sample}`).toBe(
          javascript(regex).test(sample),
        );
  });

  it('leaves regexes it cannot safely rewrite unchanged', () => {
    expect(asciiRegex('a(?i:b)c')).toBe('a(?i:b)c');
    expect(asciiRegex('[[:alpha:]]')).toBe('[[:alpha:]]');
    expect(asciiRegex('')).toBe('');
  });
});
