import { describe, expect, it } from 'vitest';
import { extractCodeBlocks } from './extract-code-blocks.ts';

describe('extractCodeBlocks', () => {
  it('finds a block with language and path in Plumb format', () => {
    const text = 'Create the file:\n\n```ts path=src/app.ts\nexport const a = 1;\n```\n\nDone.';
    expect(extractCodeBlocks(text)).toEqual([
      { language: 'ts', path: 'src/app.ts', content: 'export const a = 1;\n' },
    ]);
  });

  it('returns nothing for text without fences', () => {
    expect(extractCodeBlocks('no code here, only `inline` code')).toEqual([]);
    expect(extractCodeBlocks('')).toEqual([]);
  });

  it('finds several blocks in order, with and without language', () => {
    const text = '```\nplain\n```\ntext\n~~~python\nprint(1)\n~~~\n';
    expect(extractCodeBlocks(text)).toEqual([
      { language: null, path: null, content: 'plain\n' },
      { language: 'python', path: null, content: 'print(1)\n' },
    ]);
  });

  it.each([
    ['ts path=src/a.ts', 'ts', 'src/a.ts'],
    ['ts file=src/a.ts', 'ts', 'src/a.ts'],
    ['ts filename=src/a.ts', 'ts', 'src/a.ts'],
    ['ts title="src/my app.ts"', 'ts', 'src/my app.ts'],
    ["ts title='src/a.ts'", 'ts', 'src/a.ts'],
    ['ts src/a.ts', 'ts', 'src/a.ts'],
    ['python:app/main.py', 'python', 'app/main.py'],
    ['js index.js', 'js', 'index.js'],
    ['ts {1,3}', 'ts', null],
    ['bash', 'bash', null],
    ['path=src/a.ts', null, 'src/a.ts'],
    ['{.python}', 'python', null],
    ['ts   path=src/a.ts   ', 'ts', 'src/a.ts'],
    ['diff --git', 'diff', null],
  ])('reads the info string %j', (info, language, path) => {
    expect(extractCodeBlocks('```' + info + '\nx\n```\n')).toEqual([{ language, path, content: 'x\n' }]);
  });

  it('lets a longer outer fence contain a shorter inner fence', () => {
    const text = '````md path=README.md\n# Title\n```sh\nnpm test\n```\n````\nafter';
    expect(extractCodeBlocks(text)).toEqual([
      { language: 'md', path: 'README.md', content: '# Title\n```sh\nnpm test\n```\n' },
    ]);
  });

  it('closes only with the same character and at least the opening length', () => {
    const text = '~~~~\n```\n~~~\nstill inside\n~~~~~\nout';
    expect(extractCodeBlocks(text)).toEqual([
      { language: null, path: null, content: '```\n~~~\nstill inside\n' },
    ]);
  });

  it('does not treat a closing fence with trailing text as closing', () => {
    expect(extractCodeBlocks('```\na\n``` not closed\nb\n```\n')).toEqual([
      { language: null, path: null, content: 'a\n``` not closed\nb\n' },
    ]);
  });

  it('runs an unclosed final block to the end of the text', () => {
    expect(extractCodeBlocks('Intro\n```go\npackage main\nfunc main() {}')).toEqual([
      { language: 'go', path: null, content: 'package main\nfunc main() {}' },
    ]);
  });

  it('accepts a closing fence without final newline', () => {
    expect(extractCodeBlocks('```js\na\n```')).toEqual([{ language: 'js', path: null, content: 'a\n' }]);
  });

  it('accepts fences indented up to three spaces and removes that indent from content', () => {
    expect(extractCodeBlocks('   ```py\n   a = 1\n     b = 2\n c\n   ```\n')).toEqual([
      { language: 'py', path: null, content: 'a = 1\n  b = 2\nc\n' },
    ]);
  });

  it('ignores fences indented four spaces (indented code, not fenced)', () => {
    expect(extractCodeBlocks('    ```ts\n    a\n    ```\n')).toEqual([]);
  });

  it('ignores inline code of three backticks (backticks in the info string)', () => {
    expect(extractCodeBlocks('```a``` is inline\nmore')).toEqual([]);
  });

  it('allows backticks in the info string of a tilde fence', () => {
    expect(extractCodeBlocks('~~~ts `x`\ny\n~~~\n')).toEqual([
      { language: 'ts', path: null, content: 'y\n' },
    ]);
  });

  it('keeps empty blocks and CRLF line endings', () => {
    expect(extractCodeBlocks('```txt\r\n```\r\n')).toEqual([{ language: 'txt', path: null, content: '' }]);
    expect(extractCodeBlocks('```txt\r\na\r\n```\r\n')).toEqual([
      { language: 'txt', path: null, content: 'a\r\n' },
    ]);
  });

  it('needs at least three fence characters', () => {
    expect(extractCodeBlocks('``\nnot code\n``\n')).toEqual([]);
  });
});
