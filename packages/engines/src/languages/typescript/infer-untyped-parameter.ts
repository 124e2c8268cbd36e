import type { TypeShape } from '../../test-vectors/type-shape.ts';

export interface InferredType {
  type: TypeShape;
  typeText: string;
  from: string;
}

const stringMethods =
  /\.(toUpperCase|toLowerCase|trim|trimStart|trimEnd|padStart|padEnd|charAt|charCodeAt|codePointAt|normalize|localeCompare|startsWith|endsWith|replaceAll|substring)\(/;
const arrayMethods =
  /\.(push|pop|shift|unshift|map|filter|reduce|forEach|some|every|find|findIndex|flatMap|sort|join)\(/;
const integerNames = /^(n|count|index|idx|size|limit|offset|length|page|width|height|depth|times|i|j|k)$/i;
const stringNames = /^(s|str|string|text|name|word|path|url|email|title|slug|label|message|input)$/i;
const arrayNames = /^(items|values|xs|list|lst|array|arr|numbers|elements|entries)$/i;

/**
 * Guesses the type of an untyped JavaScript parameter from how the body uses it (`x.toUpperCase()` means a
 * string, `x.push(...)` an array, `x * 2` a number), then from its JSDoc description and its name. Returns
 * `undefined` when nothing points anywhere, so the parameter stays `any`.
 *
 * @example inferUntypedParameter('name', 'return name.toUpperCase();', '')?.typeText // => 'string'
 */
export function inferUntypedParameter(
  name: string,
  body: string,
  description: string,
): InferredType | undefined {
  const escaped = name.replace(/[$]/g, '\\$');
  const uses = (pattern: RegExp) => new RegExp(String.raw`\b${escaped}` + pattern.source).test(body);
  if (uses(stringMethods))
    return { type: { kind: 'string' }, typeText: 'string', from: 'string methods called on it' };
  if (uses(arrayMethods))
    return {
      type: { kind: 'array', element: { kind: 'any' } },
      typeText: 'unknown[]',
      from: 'array methods called on it',
    };
  if (uses(/\.length\b/)) {
    return {
      type: { kind: 'union', options: [{ kind: 'string' }, { kind: 'array', element: { kind: 'any' } }] },
      typeText: 'string | unknown[]',
      from: 'its .length being read',
    };
  }
  if (
    new RegExp(
      String.raw`\b${escaped}\s*[-*/%]\s*[\w(]|[\w)]\s*[-*/%]\s*${escaped}\b|Math\.\w+\([^)]*\b${escaped}\b`,
    ).test(body)
  )
    return { type: { kind: 'number' }, typeText: 'number', from: 'arithmetic on it' };
  const lowered = description.toLowerCase();
  if (/\bstring\b|\btext\b/.test(lowered))
    return { type: { kind: 'string' }, typeText: 'string', from: 'its description' };
  if (/\bnumber\b|\binteger\b|\bcount\b/.test(lowered))
    return { type: { kind: 'number' }, typeText: 'number', from: 'its description' };
  if (/\barray\b|\blist\b/.test(lowered))
    return {
      type: { kind: 'array', element: { kind: 'any' } },
      typeText: 'unknown[]',
      from: 'its description',
    };
  if (integerNames.test(name))
    return { type: { kind: 'number', integer: true }, typeText: 'integer', from: 'its name' };
  if (stringNames.test(name)) return { type: { kind: 'string' }, typeText: 'string', from: 'its name' };
  if (arrayNames.test(name))
    return { type: { kind: 'array', element: { kind: 'any' } }, typeText: 'unknown[]', from: 'its name' };
  return undefined;
}
