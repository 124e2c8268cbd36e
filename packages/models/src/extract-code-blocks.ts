import type { CodeBlock } from '@plumb/protocol';
import { createCodeFenceSplitter } from './code-fence-splitter.ts';

/**
 * Finds the fenced code blocks of a Markdown answer, in order, with the language and file path their
 * info strings name (see `parseFenceInfo` for the labels understood). Follows CommonMark: fences of three
 * or more backticks or tildes, indented up to three spaces, closed by a fence of the same character that
 * is at least as long; a block left open runs to the end of the text. Content keeps its final newline.
 *
 * @example
 * extractCodeBlocks('Run:\n```ts path=src/app.ts\nconsole.log(1);\n```\n');
 * // [{ language: 'ts', path: 'src/app.ts', content: 'console.log(1);\n' }]
 */
export function extractCodeBlocks(text: string): CodeBlock[] {
  const splitter = createCodeFenceSplitter();
  const segments = [...splitter.push(text), ...splitter.finish()];
  return segments.flatMap((segment) => (segment.type === 'code' ? [segment.block] : []));
}
