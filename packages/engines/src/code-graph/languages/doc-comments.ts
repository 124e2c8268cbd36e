import type { Node } from 'web-tree-sitter';

/**
 * Doc-comment readers shared by the language specs. A doc comment sits right above its declaration; blank lines
 * between them break the link, which is how editors and doc generators decide too.
 */

/**
 * The `/** ... *\/` comment right above a node (skipping decorators/annotations between them), stripped.
 *
 * @example
 * blockDocAbove(classNode, ['decorator']); // 'Places orders.'
 */
export function blockDocAbove(node: Node, skippedTypes: readonly string[] = []): string | undefined {
  let sibling = node.previousSibling;
  let below = node;
  while (sibling && skippedTypes.includes(sibling.type)) {
    below = sibling;
    sibling = sibling.previousSibling;
  }
  if (!sibling || !sibling.type.includes('comment')) return undefined;
  if (below.startPosition.row - sibling.endPosition.row > 1) return undefined;
  const text = sibling.text;
  if (!text.startsWith('/**') || text === '/**/') return undefined;
  return stripBlockComment(text);
}

/** Strips `/**`, `*\/` and the leading ` * ` of each line. */
export function stripBlockComment(text: string): string | undefined {
  const body = text
    .replace(/^\/\*\*?/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*(?: ?)/, '').trimEnd())
    .join('\n')
    .trim();
  return body === '' ? undefined : body;
}

/**
 * Consecutive `//` comments ending on the line above a node (Go's convention), stripped and joined.
 *
 * @example
 * lineCommentsAbove(functionNode); // 'Handle serves one request.'
 */
export function lineCommentsAbove(node: Node): string | undefined {
  const lines: string[] = [];
  let expectedRow = node.startPosition.row - 1;
  let sibling = node.previousSibling;
  while (sibling && sibling.type === 'comment' && sibling.endPosition.row === expectedRow) {
    const text = sibling.text;
    if (!text.startsWith('//')) break;
    lines.unshift(text.replace(/^\/\/ ?/, '').trimEnd());
    expectedRow = sibling.startPosition.row - 1;
    sibling = sibling.previousSibling;
  }
  const joined = lines.join('\n').trim();
  return joined === '' ? undefined : joined;
}

/**
 * A Python docstring: the first statement of the body when it is a string, with its indentation removed.
 *
 * @example
 * pythonDocstring(functionDefinitionNode); // 'Return the total.'
 */
export function pythonDocstring(node: Node): string | undefined {
  const body = node.childForFieldName('body');
  const first = body?.namedChild(0);
  if (!first || first.type !== 'expression_statement') return undefined;
  const literal = first.namedChild(0);
  if (!literal || literal.type !== 'string') return undefined;
  const raw = literal.text.replace(/^[rRuUbBfF]*("""|'''|"|')/, '').replace(/("""|'''|"|')$/, '');
  return dedent(raw);
}

function dedent(text: string): string | undefined {
  const lines = text.split('\n');
  const indents = lines
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.length - line.trimStart().length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  const result = [lines[0]?.trim() ?? '', ...lines.slice(1).map((line) => line.slice(indent).trimEnd())]
    .join('\n')
    .trim();
  return result === '' ? undefined : result;
}
