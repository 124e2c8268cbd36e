/**
 * Rewrite a rule regex (Rust `regex` syntax, as ast-grep uses) into an equivalent-for-ASCII form that compiles
 * much faster: ast-grep compiles every regex of a rule on every `findAll`, and Unicode-aware pieces (`(?i)`
 * case folding, `\w`, `\d`, `\s`, `\b`) cost up to a millisecond each. A leading `(?i)` becomes explicit
 * `[aA]` classes; `\w \d \s` become ASCII classes; `\b` becomes the ASCII word boundary. Source code
 * identifiers and keywords are ASCII, so matches do not change for the code the rules target.
 *
 * @example asciiRegex('(?i)^token$') // => '^[tT][oO][kK][eE][nN]$'
 */
export function asciiRegex(source: string): string {
  let caseless = false;
  let rest = source;
  if (rest.startsWith('(?i)')) {
    caseless = true;
    rest = rest.slice(4);
  }
  let output = '';
  let index = 0;
  while (index < rest.length) {
    const character = rest[index]!;
    if (character === '\\') {
      const escaped = rest[index + 1] ?? '';
      output += escapeOutsideClass(escaped);
      index += 2;
      continue;
    }
    if (character === '[') {
      const end = classEnd(rest, index);
      if (end === -1) return source;
      output += rewriteClass(rest.slice(index, end + 1), caseless);
      index = end + 1;
      continue;
    }
    if (character === '(' && rest[index + 1] === '?') {
      // Inline flags or named groups: copy the group opener unchanged; `(?i:` groups keep their own flag.
      const close = /^\(\?(P?<[A-Za-z_]\w*>|[a-zA-Z-]*:|[a-zA-Z-]*\)|=|!|<=|<!)/.exec(rest.slice(index));
      if (close === null) return source;
      if (/^\(\?[a-zA-Z-]*[:)]$/.test(close[0]) && close[0].includes('i') && !caseless) return source;
      output += close[0];
      index += close[0].length;
      continue;
    }
    if (caseless && /[A-Za-z]/.test(character)) {
      output += `[${character.toLowerCase()}${character.toUpperCase()}]`;
      index += 1;
      continue;
    }
    if (character === '{') {
      // A counted repetition `{2,4}` stays as it is.
      const counted = /^\{\d+(,\d*)?\}/.exec(rest.slice(index));
      if (counted !== null) {
        output += counted[0];
        index += counted[0].length;
        continue;
      }
    }
    output += character;
    index += 1;
  }
  return output;
}

const asciiClasses: Record<string, string> = { w: '0-9A-Za-z_', d: '0-9', s: '\\t\\n\\x0B\\f\\r ' };

function escapeOutsideClass(escaped: string): string {
  const inner = asciiClasses[escaped];
  if (inner !== undefined) return `[${inner}]`;
  const negated = asciiClasses[escaped.toLowerCase()];
  if (negated !== undefined && /[WDS]/.test(escaped)) return `[^${negated}]`;
  if (escaped === 'b') return '(?-u:\\b)';
  if (escaped === 'B') return '(?-u:\\B)';
  return `\\${escaped}`;
}

function classEnd(source: string, start: number): number {
  let index = start + 1;
  if (source[index] === '^') index += 1;
  if (source[index] === ']') index += 1;
  while (index < source.length) {
    if (source[index] === '\\') {
      index += 2;
      continue;
    }
    if (source[index] === '[') return -1; // nested classes / set operations: leave the regex alone
    if (source[index] === ']') return index;
    index += 1;
  }
  return -1;
}

function rewriteClass(klass: string, caseless: boolean): string {
  const negated = klass.startsWith('[^');
  const body = klass.slice(negated ? 2 : 1, -1);
  let output = '';
  const extra: string[] = [];
  let index = 0;
  while (index < body.length) {
    const character = body[index]!;
    if (character === '\\') {
      const escaped = body[index + 1] ?? '';
      const inner = asciiClasses[escaped];
      output += inner ?? `\\${escaped}`;
      index += 2;
      continue;
    }
    if (body[index + 1] === '-' && index + 2 < body.length && body[index + 2] !== '\\') {
      const last = body[index + 2]!;
      output += `${character}-${last}`;
      if (caseless && /[a-z]/.test(character) && /[a-z]/.test(last))
        extra.push(`${character.toUpperCase()}-${last.toUpperCase()}`);
      if (caseless && /[A-Z]/.test(character) && /[A-Z]/.test(last))
        extra.push(`${character.toLowerCase()}-${last.toLowerCase()}`);
      index += 3;
      continue;
    }
    output += character;
    if (caseless && /[A-Za-z]/.test(character))
      extra.push(character === character.toLowerCase() ? character.toUpperCase() : character.toLowerCase());
    index += 1;
  }
  return `[${negated ? '^' : ''}${output}${extra.join('')}]`;
}
