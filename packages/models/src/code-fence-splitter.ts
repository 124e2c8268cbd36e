import type { CodeBlock } from '@plumb/protocol';
import { parseFenceInfo } from './parse-fence-info.ts';

/** The fence that opened a code block, as CommonMark defines it. */
export interface CodeFence {
  character: '`' | '~';
  length: number;
  /** Spaces (0-3) before the opening fence; as many are removed from each content line. */
  indent: number;
  info: string;
}

/** A piece of Markdown: plain text, or one whole fenced code block. */
export type CodeFenceSegment =
  | { type: 'text'; text: string }
  | {
      type: 'code';
      block: CodeBlock;
      fence: CodeFence;
      /** The opening fence line as written, newline included. */
      opening: string;
      /** The closing fence line as written, or null when the text ended inside the block. */
      closing: string | null;
      /** The block exactly as written: opening line, content lines, closing line. */
      raw: string;
    };

export interface CodeFenceSplitter {
  /** Feeds more text; returns the segments that are complete or known to be plain text. */
  push(text: string): CodeFenceSegment[];
  /** Ends the text: returns what was still held (a block without closing fence runs to the end). */
  finish(): CodeFenceSegment[];
}

/**
 * Splits Markdown, fed in pieces of any size, into plain text and fenced code blocks (CommonMark rules:
 * ```` ``` ```` or `~~~`, three or more, indented up to three spaces; the closing fence uses the same
 * character and is at least as long). Plain text is returned as soon as it cannot start a fence, so a
 * stream is held back only while a line might be an opening fence and while a code block is open.
 *
 * @example
 * const splitter = createCodeFenceSplitter();
 * splitter.push('Here:\n```ts path=a.ts\nlet a'); // [{ type: 'text', text: 'Here:\n' }]
 * splitter.push(' = 1;\n```\n'); // [{ type: 'code', block: { language: 'ts', path: 'a.ts', content: 'let a = 1;\n' }, ... }]
 */
export function createCodeFenceSplitter(): CodeFenceSplitter {
  // Text state: `lineStart` holds the start of a line that might still become an opening fence;
  // `passThrough` means the current line is known to be text.
  let lineStart = '';
  let passThrough = false;
  // Code state: set while a block is open.
  let openBlock: { fence: CodeFence; opening: string; lines: string[]; partialLine: string } | null = null;

  function push(text: string): CodeFenceSegment[] {
    const segments: CodeFenceSegment[] = [];
    let position = 0;
    while (position < text.length) {
      const newline = text.indexOf('\n', position);
      const end = newline === -1 ? text.length : newline + 1;
      const piece = text.slice(position, end);
      position = end;
      const completesLine = newline !== -1;

      if (openBlock) {
        openBlock.partialLine += piece;
        if (!completesLine) continue;
        const line = openBlock.partialLine;
        openBlock.partialLine = '';
        if (isClosingFence(line, openBlock.fence)) {
          segments.push(toCodeSegment(openBlock, line));
          openBlock = null;
        } else {
          openBlock.lines.push(line);
        }
      } else if (passThrough) {
        appendText(segments, piece);
        if (completesLine) passThrough = false;
      } else {
        lineStart += piece;
        if (completesLine) {
          const fence = parseOpeningFence(lineStart);
          if (fence) openBlock = { fence, opening: lineStart, lines: [], partialLine: '' };
          else appendText(segments, lineStart);
          lineStart = '';
        } else if (!mightBecomeOpeningFence(lineStart)) {
          appendText(segments, lineStart);
          lineStart = '';
          passThrough = true;
        }
      }
    }
    return segments;
  }

  function finish(): CodeFenceSegment[] {
    const segments: CodeFenceSegment[] = [];
    if (openBlock) {
      const last = openBlock.partialLine;
      if (last !== '' && isClosingFence(last, openBlock.fence)) {
        segments.push(toCodeSegment(openBlock, last));
      } else {
        if (last !== '') openBlock.lines.push(last);
        segments.push(toCodeSegment(openBlock, null));
      }
      openBlock = null;
    } else if (lineStart !== '') {
      // An opening fence on the very last line is an empty, unclosed block (CommonMark).
      const fence = parseOpeningFence(lineStart);
      if (fence) segments.push(toCodeSegment({ fence, opening: lineStart, lines: [] }, null));
      else appendText(segments, lineStart);
    }
    lineStart = '';
    passThrough = false;
    return segments;
  }

  return { push, finish };
}

function appendText(segments: CodeFenceSegment[], text: string): void {
  if (text === '') return;
  const last = segments.at(-1);
  if (last?.type === 'text') last.text += text;
  else segments.push({ type: 'text', text });
}

function toCodeSegment(
  block: { fence: CodeFence; opening: string; lines: string[] },
  closing: string | null,
): CodeFenceSegment {
  const content = block.lines.map((line) => removeIndent(line, block.fence.indent)).join('');
  const { language, path } = parseFenceInfo(block.fence.info);
  return {
    type: 'code',
    block: { language, path, content },
    fence: block.fence,
    opening: block.opening,
    closing,
    raw: block.opening + block.lines.join('') + (closing ?? ''),
  };
}

/** Whether the start of a line (no newline yet) can still turn out to be an opening fence. */
function mightBecomeOpeningFence(lineStart: string): boolean {
  return /^ {0,3}(?:`*|~*)$/.test(lineStart) || /^ {0,3}(?:`{3,}[^`]*|~{3,}.*)$/s.test(lineStart);
}

function parseOpeningFence(line: string): CodeFence | null {
  const match = /^( {0,3})(`{3,}|~{3,})(.*)$/s.exec(stripLineEnding(line));
  if (!match) return null;
  const [, indent = '', marks = '', info = ''] = match;
  const character = marks[0] === '~' ? '~' : '`';
  // Backtick fences cannot have backticks in the info string: that is inline code.
  if (character === '`' && info.includes('`')) return null;
  return { character, length: marks.length, indent: indent.length, info: info.trim() };
}

function isClosingFence(line: string, fence: CodeFence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(stripLineEnding(line));
  const marks = match?.[1];
  return marks !== undefined && marks[0] === fence.character && marks.length >= fence.length;
}

function removeIndent(line: string, indent: number): string {
  let removed = 0;
  while (removed < indent && line[removed] === ' ') removed++;
  return line.slice(removed);
}

function stripLineEnding(line: string): string {
  return line.replace(/\r?\n$/, '');
}
