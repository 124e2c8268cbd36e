import { readFileSync } from 'node:fs';
import ts from 'typescript';

const tryBlocksByFile = new Map<string, { sourceFile: ts.SourceFile; ranges: [number, number][] }>();

/**
 * Whether a position (1-based line and column) of a JavaScript or TypeScript file sits inside the `try` block of
 * a `try ... catch`. V8 predicts ES modules' top-level exceptions as caught (by the module's own promise), so
 * "uncaught" is decided here instead: an exception is uncaught when no user frame is inside such a block.
 *
 * @example isInsideTryBlock('/app/main.ts', 12, 5) // => true when line 12 is inside `try { ... } catch`
 */
export function isInsideTryBlock(file: string, line: number, column: number): boolean {
  let entry = tryBlocksByFile.get(file);
  if (!entry) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const ranges: [number, number][] = [];
    const visit = (node: ts.Node) => {
      if (ts.isTryStatement(node) && node.catchClause)
        ranges.push([node.tryBlock.getStart(sourceFile), node.tryBlock.end]);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    entry = { sourceFile, ranges };
    if (tryBlocksByFile.size > 500) tryBlocksByFile.clear();
    tryBlocksByFile.set(file, entry);
  }
  const lineCount = entry.sourceFile.getLineStarts().length;
  if (line < 1 || line > lineCount) return false;
  const offset = entry.sourceFile.getPositionOfLineAndCharacter(line - 1, 0) + Math.max(0, column - 1);
  return entry.ranges.some(([start, end]) => offset > start && offset < end);
}
