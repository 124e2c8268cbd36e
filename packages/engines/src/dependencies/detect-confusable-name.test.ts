import { describe, expect, it } from 'vitest';
import {
  createConfusableDetector,
  detectConfusableName,
  isOneEditApart,
  osaDistance,
} from './detect-confusable-name.ts';

describe('detectConfusableName (npm)', () => {
  it.each([
    ['lodahs', 'lodash', 'edit-distance'],
    ['expresss', 'express', 'edit-distance'],
    ['raect', 'react', 'edit-distance'],
    ['crossenv', 'cross-env', 'separator'],
    ['react_dom', 'react-dom', 'separator'],
    ['reactdom', 'react-dom', 'separator'],
    ['@types-react', '@types/react', 'separator'],
    ['c0mmander', 'commander', 'homoglyph'],
    ['lodash-utils', 'lodash', 'affix'],
    ['express-js', 'express', 'affix'],
    ['jquery.js', 'jquery', 'affix'],
    ['noderequest', 'request', 'affix'],
  ])('%s imitates %s (%s)', (name, target, technique) => {
    expect(detectConfusableName(name, 'npm')).toMatchObject({ target, technique });
  });

  it('leaves popular packages and unrelated names alone', () => {
    for (const name of [
      'react',
      'preact',
      'react-dom',
      'lodash.merge',
      'express-session',
      'axios-retry',
      'ms',
      'ws',
      'tinydate',
      'my-own-company-toolkit',
    ])
      expect(detectConfusableName(name, 'npm')).toBeUndefined();
  });
});

describe('detectConfusableName (PyPI)', () => {
  it.each([
    ['reqeusts', 'requests'],
    ['colourama', 'colorama'],
    ['python3-dateutil', 'python-dateutil'],
    ['jeIlyfish', 'jellyfish'],
    ['setup-tools', 'setuptools'],
    ['urlib3', 'urllib3'],
    ['python-sqlite', 'sqlite3'],
    ['urllib', 'urllib'],
  ])('%s imitates %s', (name, target) => {
    expect(detectConfusableName(name, 'pypi')?.target).toBe(target);
  });

  it('treats PEP 503 spellings of popular names as the same name', () => {
    expect(detectConfusableName('Python_Dateutil', 'pypi')).toBeUndefined();
    expect(detectConfusableName('PyYAML', 'pypi')).toBeUndefined();
  });
});

describe('distances', () => {
  it('counts adjacent swaps as one edit', () => {
    expect(osaDistance('lodash', 'lodahs')).toBe(1);
    expect(isOneEditApart('lodash', 'lodahs')).toBe(true);
    expect(isOneEditApart('lodash', 'lodash')).toBe(false);
    expect(isOneEditApart('lodash', 'lodashes')).toBe(false);
    expect(isOneEditApart('axios', 'axois')).toBe(true);
    expect(isOneEditApart('react', 'preact')).toBe(true);
  });

  it('builds a detector from any list', () => {
    const detector = createConfusableDetector({ ecosystem: 'npm', targets: ['internal-logger'] });
    expect(detector.detect('internal-loger')?.target).toBe('internal-logger');
    expect(detector.isPopular('internal-logger')).toBe(true);
  });
});
