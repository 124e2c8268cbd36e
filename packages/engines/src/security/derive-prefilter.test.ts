import { describe, expect, it } from 'vitest';
import { derivePrefilter } from './derive-prefilter.ts';

describe('derivePrefilter', () => {
  it('takes the longest name of a pattern', () => {
    expect(derivePrefilter({ pattern: 'pickle.loads($DATA)' })?.source).toBe('\\bpickle\\b');
  });

  it('needs one word of every `any` alternative, and gives up when one alternative has none', () => {
    const filter = derivePrefilter({ any: [{ pattern: 'eval($X)' }, { pattern: 'exec($X)' }] });
    expect(filter?.test('exec(code)')).toBe(true);
    expect(filter?.test('print(code)')).toBe(false);
    expect(derivePrefilter({ any: [{ pattern: 'eval($X)' }, { kind: 'call' }] })).toBeUndefined();
  });

  it('reads names from anchored regexes on nodes, including inside has/inside', () => {
    const filter = derivePrefilter({
      all: [
        { kind: 'call' },
        { has: { field: 'function', regex: '^(random|np\\.random)\\.(random|randint)$' } },
      ],
    });
    expect(filter?.test('token = random.randint(0, 9)')).toBe(true);
    expect(filter?.test('token = secrets.token_hex(16)')).toBe(false);
    expect(derivePrefilter({ regex: '(^|\\.)run_simple$' })?.test('werkzeug.run_simple(app)')).toBe(true);
    expect(derivePrefilter({ regex: '^verify\\s*=\\s*False$' })?.test('get(url, verify=False)')).toBe(true);
  });

  it('derives nothing from regexes it cannot read safely', () => {
    expect(derivePrefilter({ regex: '(?i)^(password|secret)$' })).toBeUndefined();
    expect(derivePrefilter({ regex: 'token' })).toBeUndefined();
    // `^foo` alone would also match `foobar`, so a word boundary cannot be assumed.
    expect(derivePrefilter({ regex: '^foo' })).toBeUndefined();
    expect(derivePrefilter({ not: { pattern: 'eval($X)' } })).toBeUndefined();
  });

  it('uses constrained metavariables', () => {
    const filter = derivePrefilter(
      { pattern: '$DB.$METHOD($SQL)' },
      { METHOD: { regex: '^(query|execute)$' } },
    );
    expect(filter?.test('db.execute(sql)')).toBe(true);
    expect(filter?.test('db.run(sql)')).toBe(false);
  });
});
