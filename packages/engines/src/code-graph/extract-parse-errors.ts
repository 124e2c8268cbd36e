import type { Node } from 'web-tree-sitter';

const maximumReported = 50;

/**
 * Where the parser had to recover: `ERROR` nodes and tokens it inserted (`MISSING`). Only subtrees flagged
 * `hasError` are visited, so an error-free file costs one property read.
 *
 * @example
 * extractParseErrors(tree.rootNode); // [{ line: 3, column: 10 }]
 */
export function extractParseErrors(root: Node): { line: number; column: number }[] {
  const errors: { line: number; column: number }[] = [];
  if (!root.hasError) return errors;
  const pending: Node[] = [root];
  while (pending.length > 0 && errors.length < maximumReported) {
    const node = pending.pop()!;
    if (node.type === 'ERROR' || node.isMissing) {
      errors.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1 });
      continue;
    }
    for (let index = node.childCount - 1; index >= 0; index -= 1) {
      const child = node.child(index);
      if (child && (child.hasError || child.isMissing)) pending.push(child);
    }
  }
  return errors.sort((left, right) => left.line - right.line || left.column - right.column);
}
