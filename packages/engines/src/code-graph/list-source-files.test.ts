import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CodeLanguage } from './file-facts.ts';
import { globToRegExp, listSourceFiles } from './list-source-files.ts';

const extensions: Record<string, CodeLanguage> = {
  '.ts': 'typescript',
  '.js': 'javascript',
  '.py': 'python',
  '.go': 'go',
  '.java': 'java',
};
const languageOf = (file: string): CodeLanguage | undefined => extensions[path.extname(file)];

let root: string;
const write = (relative: string, content = 'x'): void => {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), content);
};

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumb-list-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('listSourceFiles', () => {
  it('lists nothing in an empty directory', async () => {
    const listing = await listSourceFiles(root, { languageOf });
    expect(listing).toEqual({ files: [], unsupported: {}, skipped: [] });
  });

  it('honours the root and nested .gitignore files, with re-inclusion', async () => {
    write('.gitignore', 'generated/\n*.gen.ts\n');
    write('src/app.ts');
    write('src/app.gen.ts');
    write('generated/schema.ts');
    write('lib/.gitignore', 'local/\n*.py\n!keep.py\n');
    write('lib/local/thing.ts');
    write('lib/drop.py');
    write('lib/keep.py');
    write('lib/other.ts');
    const listing = await listSourceFiles(root, { languageOf });
    expect(listing.files.map((file) => file.path)).toEqual(['lib/keep.py', 'lib/other.ts', 'src/app.ts']);
  });

  it('skips vendored, generated and minified files and counts unsupported ones', async () => {
    write('node_modules/react/index.js');
    write('dist/app.js');
    write('build/x.java');
    write('vendor/lib/x.go');
    write('target/classes/A.java');
    write('pkg/__pycache__/m.py');
    write('coverage/lcov.js');
    write('public/jquery.min.js');
    write('README.md');
    write('docs/guide.md');
    write('Makefile');
    write('main.go', 'package main');
    const listing = await listSourceFiles(root, { languageOf });
    expect(listing.files.map((file) => [file.path, file.language])).toEqual([['main.go', 'go']]);
    expect(listing.unsupported).toEqual({ '.md': 2, Makefile: 1 });
    expect(listing.skipped).toEqual([{ path: 'public/jquery.min.js', reason: 'minified' }]);
  });

  it('skips enormous files with the reason', async () => {
    write('big.ts', 'x'.repeat(5000));
    write('small.ts');
    const listing = await listSourceFiles(root, { languageOf, maxFileBytes: 4096 });
    expect(listing.files.map((file) => file.path)).toEqual(['small.ts']);
    expect(listing.skipped[0]?.path).toBe('big.ts');
    expect(listing.skipped[0]?.reason).toMatch(/too large/);
  });

  it('does not follow symbolic link loops or links that leave the repository', async () => {
    write('src/a.ts');
    symlinkSync(root, path.join(root, 'src', 'loop'));
    symlinkSync(os.tmpdir(), path.join(root, 'outside'));
    symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'alias.ts'));
    symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling.ts'));
    const listing = await listSourceFiles(root, { languageOf });
    expect(listing.files.map((file) => file.path)).toEqual(['src/a.ts']);
    const reasons = Object.fromEntries(listing.skipped.map((entry) => [entry.path, entry.reason]));
    expect(reasons).toEqual({
      'alias.ts': 'symbolic link to another path of the repository',
      'dangling.ts': 'broken symbolic link',
      outside: 'symbolic link to outside the repository',
      'src/loop': 'symbolic link loop',
    });
  });

  it('applies include and exclude globs', async () => {
    write('src/a.ts');
    write('src/deep/b.ts');
    write('src/deep/b.test.ts');
    write('scripts/c.ts');
    const listing = await listSourceFiles(root, {
      languageOf,
      include: ['src/**'],
      exclude: ['*.test.ts'],
    });
    expect(listing.files.map((file) => file.path)).toEqual(['src/a.ts', 'src/deep/b.ts']);
  });
});

describe('globToRegExp', () => {
  it('matches folders with ** and names anywhere without a slash', () => {
    expect(globToRegExp('src/**/*.ts').test('src/a/b/c.ts')).toBe(true);
    expect(globToRegExp('src/**/*.ts').test('src/c.ts')).toBe(true);
    expect(globToRegExp('src/*.ts').test('src/a/c.ts')).toBe(false);
    expect(globToRegExp('*.spec.ts').test('deep/x.spec.ts')).toBe(true);
    expect(globToRegExp('fixtures').test('a/fixtures/x.ts')).toBe(true);
  });
});
