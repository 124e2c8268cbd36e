import ts from 'typescript';
import type { EncodedValue } from '../../test-vectors/encoded-value.ts';

/**
 * Evaluates a literal TypeScript expression (numbers, strings, booleans, null, undefined, NaN, Infinity,
 * bigint, arrays, object literals, `new Date("...")`, `new Set([...])`) to an `EncodedValue`; anything else
 * (identifiers, calls, spreads) gives `undefined`, because examples are only trusted when they are literal.
 *
 * @example evaluateLiteral(parseExpression('[1, -2, "a"]')) // => [1, -2, 'a']
 */
export function evaluateLiteral(node: ts.Expression): EncodedValue | undefined {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    return evaluateLiteral(node.expression);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isBigIntLiteral(node)) return { $: 'bigint', v: BigInt(node.text.replace(/n$/, '')).toString() };
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(node)) {
    if (node.text === 'undefined') return { $: 'undefined' };
    if (node.text === 'NaN') return { $: 'nan' };
    if (node.text === 'Infinity') return { $: 'infinity' };
    return undefined;
  }
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const operand = evaluateLiteral(node.operand);
    if (typeof operand === 'number') return operand === 0 ? { $: '-0' } : -operand;
    if (operand && typeof operand === 'object' && !Array.isArray(operand)) {
      if (operand.$ === 'infinity') return { $: '-infinity' };
      if (operand.$ === 'bigint') return { $: 'bigint', v: (-BigInt(operand.v)).toString() };
    }
    return undefined;
  }
  if (ts.isArrayLiteralExpression(node)) {
    const elements: EncodedValue[] = [];
    for (const element of node.elements) {
      const value = evaluateLiteral(element);
      if (value === undefined) return undefined;
      elements.push(value);
    }
    return elements;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const entries: [string, EncodedValue][] = [];
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) return undefined;
      const name = property.name;
      const key =
        ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)
          ? name.text
          : undefined;
      const value = evaluateLiteral(property.initializer);
      if (key === undefined || value === undefined) return undefined;
      entries.push([key, value]);
    }
    return { $: 'object', v: entries };
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
    const argument = node.arguments?.[0];
    const value = argument ? evaluateLiteral(argument) : undefined;
    if (node.expression.text === 'Date' && (typeof value === 'string' || typeof value === 'number')) {
      const date = new Date(value);
      return { $: 'date', v: Number.isNaN(date.getTime()) ? null : date.toISOString() };
    }
    if (node.expression.text === 'Set' && Array.isArray(value)) return { $: 'set', v: value };
  }
  return undefined;
}

/** Parses one expression from source text, or `undefined` when the text is not exactly one expression. */
export function parseExpression(text: string): ts.Expression | undefined {
  const file = ts.createSourceFile('example.ts', `(${text}\n);`, ts.ScriptTarget.Latest, true);
  const statement = file.statements[0];
  if (file.statements.length !== 1 || !statement || !ts.isExpressionStatement(statement)) return undefined;
  const diagnostics = (file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics;
  if (diagnostics && diagnostics.length > 0) return undefined;
  let expression = statement.expression;
  while (ts.isParenthesizedExpression(expression)) expression = expression.expression;
  return expression;
}
