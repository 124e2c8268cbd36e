/**
 * Whether a regular expression source can backtrack catastrophically: a quantified group that itself contains
 * a quantifier (`(a+)+`, `(\w+\s?)*`), or a quantified alternation whose branches overlap (`(a|ab)*`, `(\w|\d)+`).
 * A structural check, not a proof: it errs towards the common dangerous shapes.
 *
 * @example isRedosProne('^(a+)+$') // => true
 */
export function isRedosProne(source: string): boolean {
  const groups: { start: number; hasQuantifier: boolean; alternatives: string[]; current: string }[] = [];
  let index = 0;
  while (index < source.length) {
    const character = source[index];
    if (character === '\\') {
      const escaped = source.slice(index, index + 2);
      for (const group of groups) group.current += escaped;
      index += 2;
      continue;
    }
    if (character === '[') {
      const end = findClassEnd(source, index);
      const klass = source.slice(index, end + 1);
      for (const group of groups) group.current += klass;
      index = end + 1;
      continue;
    }
    if (character === '(') {
      let skip = 1;
      if (
        source.startsWith('(?:', index) ||
        source.startsWith('(?=', index) ||
        source.startsWith('(?!', index)
      )
        skip = 3;
      else if (source.startsWith('(?<=', index) || source.startsWith('(?<!', index)) skip = 4;
      else if (source.startsWith('(?<', index) || source.startsWith('(?P<', index))
        skip = source.indexOf('>', index) - index + 1;
      for (const group of groups) group.current += '(';
      groups.push({ start: index, hasQuantifier: false, alternatives: [], current: '' });
      index += Math.max(skip, 1);
      continue;
    }
    if (character === '|' && groups.length > 0) {
      const group = groups[groups.length - 1]!;
      group.alternatives.push(group.current);
      group.current = '';
      for (const outer of groups.slice(0, -1)) outer.current += '|';
      index += 1;
      continue;
    }
    if (character === ')') {
      const group = groups.pop();
      index += 1;
      if (group === undefined) continue;
      group.alternatives.push(group.current);
      const quantifier = readQuantifier(source, index);
      const unbounded = quantifier !== undefined && quantifier.unbounded;
      if (
        unbounded &&
        group.hasQuantifier &&
        !(group.alternatives.length === 1 && separatorGuarded(group.current)) &&
        !(group.alternatives.length > 1 && distinctGuardedAlternatives(group.alternatives))
      )
        return true;
      if (unbounded && group.alternatives.length > 1 && alternativesOverlap(group.alternatives)) return true;
      const parent = groups[groups.length - 1];
      if (parent !== undefined) {
        parent.current += ')';
        if (group.hasQuantifier || unbounded) parent.hasQuantifier = true;
      }
      continue;
    }
    if (
      character === '+' ||
      character === '*' ||
      (character === '{' && readQuantifier(source, index)?.variable)
    ) {
      if (groups.length > 0) groups[groups.length - 1]!.hasQuantifier = true;
    }
    for (const group of groups) group.current += character;
    index += 1;
  }
  return false;
}

function findClassEnd(source: string, start: number): number {
  let index = start + 1;
  if (source[index] === '^') index += 1;
  if (source[index] === ']') index += 1;
  while (index < source.length && source[index] !== ']') index += source[index] === '\\' ? 2 : 1;
  return Math.min(index, source.length - 1);
}

function readQuantifier(
  source: string,
  index: number,
): { unbounded: boolean; variable: boolean } | undefined {
  const character = source[index];
  if (character === '+' || character === '*') return { unbounded: true, variable: true };
  if (character === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index));
    if (match === null) return undefined;
    return {
      unbounded: match[2] !== undefined && (match[3] === '' || Number(match[3]) > 10),
      // `{2,4}` inside a repeated group lets each repetition take several lengths.
      variable: match[2] !== undefined && match[3] !== match[1],
    };
  }
  return undefined;
}

const broadClasses = ['.', '\\w', '\\S', '\\D', '[^'];

function alternativesOverlap(alternatives: string[]): boolean {
  for (let left = 0; left < alternatives.length; left += 1) {
    for (let right = left + 1; right < alternatives.length; right += 1) {
      const first = alternatives[left] ?? '';
      const second = alternatives[right] ?? '';
      if (first === '' || second === '') continue;
      if (first === second || first.startsWith(second) || second.startsWith(first)) return true;
      if (disjointStarts(first, second)) continue;
      const firstHead = head(first);
      const secondHead = head(second);
      if (broadClasses.includes(firstHead) && secondHead !== '' && !secondHead.startsWith('\\s')) return true;
      if (broadClasses.includes(secondHead) && firstHead !== '' && !firstHead.startsWith('\\s')) return true;
      if (
        (firstHead === '\\d' && /^\[?[\w-]*0-9/.test(second)) ||
        (secondHead === '\\d' && /^\[?[\w-]*0-9/.test(first))
      )
        return true;
    }
  }
  return false;
}

/** The first token of an alternative: a whole character class, an escape, or one character. */
function firstToken(alternative: string): string {
  if (alternative.startsWith('\\')) return alternative.slice(0, 2);
  if (alternative.startsWith('[')) return alternative.slice(0, findClassEnd(alternative, 0) + 1);
  return alternative.slice(0, 1);
}

/** A literal character token (`-`, `\\.`, `\\[`), as the character it matches; undefined for classes. */
function literalOf(token: string): string | undefined {
  if (token.length === 1 && !'.[()|^$'.includes(token)) return token;
  if (token.length === 2 && token.startsWith('\\') && !/[wWdDsSbB0-9]/.test(token[1]!)) return token[1];
  return undefined;
}

/** Two alternatives that cannot start with the same character: two different literals, or a literal a class excludes. */
function disjointStarts(first: string, second: string): boolean {
  const left = firstToken(first);
  const right = firstToken(second);
  const leftLiteral = literalOf(left);
  const rightLiteral = literalOf(right);
  if (leftLiteral !== undefined && rightLiteral !== undefined) return leftLiteral !== rightLiteral;
  if (left.startsWith('[') && rightLiteral !== undefined) return !classContains(left, rightLiteral);
  if (right.startsWith('[') && leftLiteral !== undefined) return !classContains(right, leftLiteral);
  return false;
}

/** `(\.\w+|\[[^\]]+\])*`: every branch starts with its own literal that its quantified parts exclude. */
function distinctGuardedAlternatives(alternatives: string[]): boolean {
  const starts = alternatives.map((alternative) => literalOf(firstToken(alternative)));
  if (starts.some((start) => start === undefined)) return false;
  if (new Set(starts).size !== starts.length) return false;
  return alternatives.every((alternative) => separatorGuarded(alternative));
}

function head(alternative: string): string {
  if (alternative.startsWith('\\')) return alternative.slice(0, 2);
  if (alternative.startsWith('[^')) return '[^';
  if (alternative.startsWith('[')) return alternative.slice(0, alternative.indexOf(']') + 1);
  return alternative.slice(0, 1);
}

/**
 * `[a-z0-9]+\\.` inside `( )*`: the repeated part ends with a literal the quantified classes cannot match,
 * so each repetition has one way to end and backtracking stays linear.
 */
function separatorGuarded(content: string): boolean {
  const trailing = /^(.*?)(\\[^wWdDsSbB]|[^\\\][)+*?}.])$/.exec(content);
  if (trailing !== null && guardedBy(trailing[1] ?? '', trailing[2] ?? '')) return true;
  // `(?:-[a-z0-9]+)*`: each repetition starts with a literal the quantified classes cannot match.
  const leading = /^(\\[^wWdDsSbB]|[^\\[(.^$|])([^+*?{].*)$/.exec(content);
  return leading !== null && guardedBy(leading[2] ?? '', leading[1] ?? '');
}

/** Whether the character class `[...]` or `[^...]` can match `character`. */
function classContains(klass: string, character: string): boolean {
  if (klass.startsWith('[^')) return !classContains(`[${klass.slice(2)}`, character);
  const body = klass.slice(1, -1);
  let index = 0;
  while (index < body.length) {
    let first = body[index]!;
    if (first === '\\') {
      const escaped = body[index + 1] ?? '';
      if (/[wWsSdD]/.test(escaped)) {
        if (new RegExp(`\\${escaped}`).test(character)) return true;
        index += 2;
        continue;
      }
      first = escaped;
      index += 1;
    }
    if (body[index + 1] === '-' && index + 2 < body.length) {
      const last = body[index + 2] === '\\' ? (body[index + 3] ?? '') : body[index + 2]!;
      if (character >= first && character <= last) return true;
      index += body[index + 2] === '\\' ? 4 : 3;
      continue;
    }
    if (first === character) return true;
    index += 1;
  }
  return false;
}

/** Whether nothing in `body` (the repeated part besides the separator) can match the separator character. */
function guardedBy(body: string, rawSeparator: string): boolean {
  const separator = rawSeparator.replace(/^\\/, '');
  if (body === '') return false;
  // Only tokens under a quantifier can run on into the next repetition's separator.
  const quantified = (end: number): boolean => /^[*+?{]/.test(body.slice(end));
  let index = 0;
  while (index < body.length) {
    const character = body[index]!;
    if (character === '\\') {
      const escaped = body[index + 1] ?? '';
      const matches = /[wWsSdD]/.test(escaped)
        ? new RegExp(`\\${escaped}`).test(separator)
        : escaped === separator;
      if (matches && quantified(index + 2)) return false;
      index += 2;
      continue;
    }
    if (character === '[') {
      const end = findClassEnd(body, index);
      if (classContains(body.slice(index, end + 1), separator) && quantified(end + 1)) return false;
      index = end + 1;
      continue;
    }
    if ((character === '.' || character === separator) && quantified(index + 1)) return false;
    if (character === '(' || character === ')') return false;
    index += 1;
  }
  return true;
}
