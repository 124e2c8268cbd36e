import type { SgNode } from '@ast-grep/napi';
import type { SecurityFix } from './security-finding.ts';
import type { SecurityRule } from './security-rule.ts';
import { kindOf } from './kind-of.ts';

/**
 * The automatic fix of a rule for one match, or undefined when the rule has none or this match cannot be fixed
 * safely. String templates substitute `$VAR` / `$$$VAR` with the matched text; an empty replacement inside an
 * argument list also removes the separating comma. The `parameterize-sql` builtin rewrites string-built SQL
 * into a placeholder query with a separate parameter list, for the driver the file imports.
 *
 * @example buildFix(rule, match, code, 0) // => { replacement: 'yaml.safe_load(data)', ... }
 */
export function buildFix(
  rule: SecurityRule,
  match: SgNode,
  code: string,
  lineOffset: number,
): SecurityFix | undefined {
  if (rule.fix === undefined) return undefined;
  let start = match.range().start.index;
  let end = match.range().end.index;
  let replacement: string;
  let description: string;
  if (typeof rule.fix === 'string') {
    replacement = rule.fix.replace(
      /\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)/g,
      (whole, multiple: string | undefined, single: string | undefined) => {
        if (multiple !== undefined) {
          const nodes = match.getMultipleMatches(multiple);
          if (nodes.length === 0) return '';
          return code.slice(nodes[0]!.range().start.index, nodes[nodes.length - 1]!.range().end.index);
        }
        return match.getMatch(single!)?.text() ?? whole;
      },
    );
    replacement = replacement.trimEnd();
    description = `Replace with: ${replacement === '' ? '(remove)' : replacement}`;
    if (replacement === '') [start, end] = widenToSeparator(code, start, end);
  } else {
    const rewritten = parameterizeSql(match, code);
    if (rewritten === undefined) return undefined;
    replacement = rewritten;
    description =
      rule.fix.description ??
      'Use a parameterized query: placeholders in the SQL text, values passed separately.';
  }
  return {
    range: rangeOf(code, start, end, lineOffset),
    startOffset: start,
    endOffset: end,
    replacement,
    description,
  };
}

function widenToSeparator(code: string, start: number, end: number): [number, number] {
  const after = /^\s*,\s*/.exec(code.slice(end));
  if (after !== null) return [start, end + after[0].length];
  const before = /,\s*$/.exec(code.slice(Math.max(0, start - 200), start));
  if (before !== null) return [start - before[0].length, end];
  return [start, end];
}

function rangeOf(code: string, start: number, end: number, lineOffset: number): SecurityFix['range'] {
  const position = (offset: number): [number, number] => {
    const before = code.slice(0, offset);
    const line = before.split('\n').length;
    return [line + lineOffset, offset - before.lastIndexOf('\n')];
  };
  const [startLine, startColumn] = position(start);
  const [endLine, endColumn] = position(end);
  return { startLine, startColumn, endLine, endColumn };
}

function placeholderStyle(code: string, python: boolean): 'dollar' | 'question' | 'percent' | undefined {
  if (python) {
    if (/^\s*(import|from)\s+sqlite3\b/m.test(code)) return 'question';
    if (/^\s*(import|from)\s+(psycopg2?|psycopg|pymysql|MySQLdb|mysql\.connector)\b/m.test(code))
      return 'percent';
    return undefined;
  }
  if (/(require\(|from\s+)['"](pg|pg-pool|@vercel\/postgres)['"]/.test(code)) return 'dollar';
  if (/(require\(|from\s+)['"](mysql2?(\/promise)?|sqlite3|better-sqlite3|sqlite)['"]/.test(code))
    return 'question';
  return undefined;
}

/** `db.query("... = '" + id + "'")` -> `db.query("... = $1", [id])`; undefined when the shape is not simple. */
function parameterizeSql(call: SgNode, code: string): string | undefined {
  const python = kindOf(call) === 'call';
  const argumentsNode = call.field('arguments');
  if (argumentsNode === null) return undefined;
  const argumentList = argumentsNode.namedChildren().filter((child) => kindOf(child) !== 'comment');
  if (argumentList.length !== 1) return undefined;
  const sql = argumentList[0]!;
  const style = placeholderStyle(code, python);
  if (style === undefined) return undefined;
  const parts = sqlParts(sql, python);
  if (parts === undefined || !parts.some((part) => part.type === 'value')) return undefined;
  const values = parts.filter((part) => part.type === 'value').map((part) => part.text);
  const text = rebuild(parts, style);
  if (/["\\\n]/.test(text.replace(/\\'/g, ''))) return undefined;
  const callee = call.field('function')?.text();
  if (callee === undefined) return undefined;
  const parameters = python
    ? `(${values.join(', ')}${values.length === 1 ? ',' : ''})`
    : `[${values.join(', ')}]`;
  return `${callee}("${text}", ${parameters})`;
}

type SqlPart = { type: 'text' | 'value'; text: string };

function rebuild(parts: SqlPart[], style: 'dollar' | 'question' | 'percent'): string {
  let text = '';
  let index = 0;
  let previousWasValue = false;
  for (const part of parts) {
    if (part.type === 'text') {
      text += previousWasValue ? part.text.replace(/^'/, '') : part.text;
      previousWasValue = false;
      continue;
    }
    index += 1;
    text = text.replace(/'$/, '');
    text += style === 'dollar' ? `$${index}` : style === 'question' ? '?' : '%s';
    previousWasValue = true;
  }
  return text;
}

const simpleValue = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[['"]?\w+['"]?\])*$/;

function sqlParts(node: SgNode, python: boolean): SqlPart[] | undefined {
  const kind = kindOf(node);
  if (kind === 'binary_expression' || kind === 'binary_operator') {
    const operator = node.field('operator')?.text();
    if (operator !== '+') return undefined;
    const left = node.field('left');
    const right = node.field('right');
    if (left === null || right === null) return undefined;
    const leftParts = sqlParts(left, python);
    const rightParts = sqlParts(right, python);
    return leftParts === undefined || rightParts === undefined ? undefined : [...leftParts, ...rightParts];
  }
  if (kind === 'string') {
    const text = node.text();
    if (python) {
      const match = /^([fF]?)(["'])(.*)\2$/s.exec(text);
      if (match === null) return undefined;
      if (match[1] === '') return [{ type: 'text', text: match[3] ?? '' }];
      const parts: SqlPart[] = [];
      let last = 0;
      const body = match[3] ?? '';
      for (const interpolation of body.matchAll(/\{([^{}]+)\}/g)) {
        parts.push({ type: 'text', text: body.slice(last, interpolation.index) });
        const value = (interpolation[1] ?? '').trim();
        if (!simpleValue.test(value)) return undefined;
        parts.push({ type: 'value', text: value });
        last = (interpolation.index ?? 0) + interpolation[0].length;
      }
      parts.push({ type: 'text', text: body.slice(last) });
      return parts;
    }
    const match = /^(["'])(.*)\1$/s.exec(text);
    return match === null ? undefined : [{ type: 'text', text: match[2] ?? '' }];
  }
  if (kind === 'template_string') {
    const parts: SqlPart[] = [];
    for (const child of node.children()) {
      const childKind = kindOf(child);
      if (childKind === 'string_fragment') parts.push({ type: 'text', text: child.text() });
      else if (childKind === 'template_substitution') {
        const value = child.text().slice(2, -1).trim();
        if (!simpleValue.test(value)) return undefined;
        parts.push({ type: 'value', text: value });
      } else if (childKind !== '`') return undefined;
    }
    return parts;
  }
  if (simpleValue.test(node.text())) return [{ type: 'value', text: node.text() }];
  return undefined;
}
