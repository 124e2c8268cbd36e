import { describe, expect, it } from 'vitest';
import {
  comparePep440Text,
  isPep440Prerelease,
  parsePep440Specifiers,
  parsePep440Version,
  satisfiesPep440,
} from './pep440.ts';

describe('PEP 440 versions', () => {
  it('parses release, pre, post, dev, epoch and local parts in their alternate spellings', () => {
    expect(parsePep440Version('1!2.0.0rc1.post2.dev3+ubuntu.1')).toMatchObject({
      epoch: 1,
      release: [2, 0, 0],
      pre: { label: 'rc', number: 1 },
      post: 2,
      dev: 3,
      local: 'ubuntu.1',
    });
    expect(parsePep440Version('1.0-alpha.2')?.pre).toEqual({ label: 'a', number: 2 });
    expect(parsePep440Version('1.0c1')?.pre).toEqual({ label: 'rc', number: 1 });
    expect(parsePep440Version('1.0-1')?.post).toBe(1);
    expect(parsePep440Version('v2.9.0.post0')?.post).toBe(0);
    for (const invalid of ['', 'latest', '1.0.0-beta+', '1..0', 'abc1.0', '1.0; rm -rf /'])
      expect(parsePep440Version(invalid)).toBeUndefined();
  });

  it('orders versions as the specification does', () => {
    const ordered = [
      '1.0.dev1',
      '1.0a1',
      '1.0a2.dev1',
      '1.0a2',
      '1.0b1',
      '1.0rc1',
      '1.0',
      '1.0+local',
      '1.0.post1.dev1',
      '1.0.post1',
      '1.1',
      '2!0.1',
    ];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(comparePep440Text)).toEqual(ordered);
    expect(comparePep440Text('1.0', '1.0.0')).toBe(0);
  });

  it('orders local labels segment by segment: numbers numerically, after letters', () => {
    // The hand-written comparison compared local labels as strings, putting `+10` before `+9` and `+1` before `+abc`.
    expect(['1.0+10', '1.0+9', '1.0+1', '1.0+abc'].sort(comparePep440Text)).toEqual([
      '1.0+abc',
      '1.0+1',
      '1.0+9',
      '1.0+10',
    ]);
    expect(['x', '1.0', 'latest'].sort(comparePep440Text)).toEqual(['latest', 'x', '1.0']);
  });

  it('knows pre-releases and development releases', () => {
    expect(
      ['5.1a1', '5.1b1', '5.1rc1', '2.0.0.dev1'].map((text) => isPep440Prerelease(parsePep440Version(text)!)),
    ).toEqual([true, true, true, true]);
    expect(isPep440Prerelease(parsePep440Version('5.1.post1')!)).toBe(false);
    expect(parsePep440Version(' 1.0-1 ')).toMatchObject({
      post: 1,
      public: '1.0.post1',
      isPostrelease: true,
    });
  });
});

describe('PEP 440 specifiers', () => {
  it.each([
    ['5.4.1', '>=5.4,<6', true],
    ['6.0', '>=5.4,<6', false],
    ['2.2.0', '~=2.2', true],
    ['3.0', '~=2.2', false],
    ['2.2.9', '~=2.2.0', true],
    ['2.3.0', '~=2.2.0', false],
    ['1.2.7', '==1.2.*', true],
    ['1.3', '==1.2.*', false],
    ['1.3', '!=1.2.*', true],
    ['1.0+local', '==1.0', true],
    ['1.0', '===1.0', true],
    ['1.0.0', '===1.0', false],
    ['5.1rc1', '>=5.0', false],
    ['5.1rc1', '>=5.1rc1', true],
    ['1.0.post1', '>1.0', false],
    ['1.1', '>1.0', true],
    ['1.0rc1', '<1.0', false],
    ['0.9', '<1.0', true],
    ['3.8.10', '>=3.8', true],
    ['3.7.9', '>=2.7, !=3.0.*, !=3.1.*', true],
    ['3.1.2', '>=2.7, !=3.0.*, !=3.1.*', false],
    // Where @renovatebot/pep440 4.2.4 alone answers differently; the adapter follows PEP 440 (and packaging).
    ['1.0', '>1.0rc1', true],
    ['1.0.post2', '>1.0.post1', true],
    ['1.0+local', '>1.0', false],
    ['1.0rc1', '<1.0rc2', true],
    ['1.0.dev1', '<1.0', false],
    ['1.0+b', '==1.0+a', false],
    ['1.0+a', '==1.0+a', true],
    ['1.0+b', '!=1.0+a', true],
    ['1.0+local', '===1.0', false],
    ['1', '==1.0.*', true],
    ['1', '!=1.0.*', false],
    ['1.5rc1', '>=1.0a1,<2', true],
    // Where the hand-written code answered differently; PEP 440 and the library agree.
    ['1.0RC1', '===1.0rc1', true],
    ['1.0.post0', '>1.0.dev1', true],
  ])('%s satisfies %s: %s', (version, specifier, expected) => {
    expect(satisfiesPep440(version, specifier)).toBe(expected);
  });

  it('admits pre-releases when asked to', () => {
    expect(satisfiesPep440('5.1rc1', '>=5.0', { includePrerelease: true })).toBe(true);
    expect(satisfiesPep440('5.1rc1', '', { includePrerelease: true })).toBe(true);
    expect(satisfiesPep440('5.1rc1', '')).toBe(false);
    // `<V` refuses only pre-releases of V itself: `1.0a1` is a pre-release of 1.0, not of 1.0.post1.
    expect(satisfiesPep440('1.0a1', '<1.0.post1', { includePrerelease: true })).toBe(true);
    expect(satisfiesPep440('1.0a1', '<1.0', { includePrerelease: true })).toBe(false);
  });

  it('answers false instead of throwing for versions that are not PEP 440', () => {
    expect(satisfiesPep440('latest', '<2')).toBe(false);
    expect(satisfiesPep440('1.0', '>=foo')).toBe(false);
    expect(satisfiesPep440('foo-bar', '===foo-bar')).toBe(false);
  });

  it('rejects specifiers PEP 440 does not allow', () => {
    for (const invalid of ['>=', '=>1.0', '~=1', '<=1.*', '>=1.0 <2', '==1.0; echo', '>=1.0,'])
      expect(parsePep440Specifiers(invalid)).toBeUndefined();
    expect(parsePep440Specifiers('')).toEqual([]);
  });

  it('rejects local labels in ordered comparisons and wildcards after dev or local parts', () => {
    // PEP 440 allows local labels only with `==`, `!=` and `===`; the hand-written parser accepted them anywhere.
    for (const invalid of ['>=1.0+local', '<2+local', '~=1.0+local', '==1.0.dev1.*', '==1.0+local.*'])
      expect(parsePep440Specifiers(invalid)).toBeUndefined();
    expect(parsePep440Specifiers('==1.0+local, ===foo, != 1.2.*')).toEqual([
      { operator: '==', version: '1.0+local' },
      { operator: '===', version: 'foo' },
      { operator: '!=', version: '1.2.*' },
    ]);
  });
});
