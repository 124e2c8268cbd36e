import { describe, expect, it } from 'vitest';
import { createCodeFenceSplitter, type CodeFenceSegment } from './code-fence-splitter.ts';

function splitInPieces(
  text: string,
  pieceLength: number,
): { outputs: CodeFenceSegment[][]; final: CodeFenceSegment[] } {
  const splitter = createCodeFenceSplitter();
  const outputs: CodeFenceSegment[][] = [];
  for (let start = 0; start < text.length; start += pieceLength) {
    outputs.push(splitter.push(text.slice(start, start + pieceLength)));
  }
  return { outputs, final: splitter.finish() };
}

function reassemble(segments: CodeFenceSegment[]): string {
  return segments.map((segment) => (segment.type === 'text' ? segment.text : segment.raw)).join('');
}

describe('createCodeFenceSplitter', () => {
  const answer =
    'Intro with `code`.\n  indented text\n```ts path=src/a.ts\nconst a = 1;\n``` not closing\n```\nMiddle\n~~~\nx\n~~~\nEnd without newline';

  it.each([1, 2, 3, 5, 7, 1000])('reassembles the exact text from pieces of %i characters', (pieceLength) => {
    const { outputs, final } = splitInPieces(answer, pieceLength);
    const segments = [...outputs.flat(), ...final];
    expect(reassemble(segments)).toBe(answer);
    expect(segments.filter((segment) => segment.type === 'code').map((segment) => segment.block)).toEqual([
      { language: 'ts', path: 'src/a.ts', content: 'const a = 1;\n``` not closing\n' },
      { language: null, path: null, content: 'x\n' },
    ]);
  });

  it('passes plain text on at once, before the line ends', () => {
    const splitter = createCodeFenceSplitter();
    expect(splitter.push('Hello wo')).toEqual([{ type: 'text', text: 'Hello wo' }]);
    expect(splitter.push('rld')).toEqual([{ type: 'text', text: 'rld' }]);
  });

  it('holds a line start only while it might be a fence', () => {
    const splitter = createCodeFenceSplitter();
    expect(splitter.push('a\n`')).toEqual([{ type: 'text', text: 'a\n' }]);
    expect(splitter.push('`')).toEqual([]);
    expect(splitter.push('x')).toEqual([{ type: 'text', text: '``x' }]);
  });

  it('holds a code block until its closing fence', () => {
    const splitter = createCodeFenceSplitter();
    expect(splitter.push('```py\nprint(1)\n')).toEqual([]);
    expect(splitter.push('``')).toEqual([]);
    const [segment] = splitter.push('`\nafter');
    expect(segment).toMatchObject({
      type: 'code',
      block: { language: 'py', content: 'print(1)\n' },
      opening: '```py\n',
      closing: '```\n',
    });
    expect(splitter.finish()).toEqual([]);
  });

  it('returns an unclosed block at finish', () => {
    const splitter = createCodeFenceSplitter();
    splitter.push('```sh\nnpm te');
    expect(splitter.finish()).toMatchObject([{ type: 'code', closing: null, block: { content: 'npm te' } }]);
  });
});
