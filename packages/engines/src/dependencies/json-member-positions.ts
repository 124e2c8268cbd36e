/** The position of one object member of a JSON document. */
export interface JsonMemberPosition {
  /** 0-based offset of the member's key (at its opening quote). */
  keyOffset: number;
  /** 0-based offset of a string value's first character (inside the quotes). */
  valueOffset?: number | undefined;
}

/**
 * Offsets of object members down to `maxDepth` levels, keyed by their path joined with `\u0000`
 * (`dependencies\u0000react`). One linear scan, so it copes with 10,000-entry lockfiles. Assumes valid JSON
 * (call it after `JSON.parse` succeeded).
 *
 * @example jsonMemberPositions('{"a":{"b":"1"}}', 2).get('a\u0000b')?.valueOffset // => 11
 */
export function jsonMemberPositions(text: string, maxDepth: number): Map<string, JsonMemberPosition> {
  const positions = new Map<string, JsonMemberPosition>();
  // One frame per open container: its path, whether it is an object, and the key awaiting its value.
  const stack: { path: string[]; isObject: boolean; pendingKey?: string | undefined; expectKey: boolean }[] =
    [];
  let index = 0;
  while (index < text.length) {
    const character = text[index];
    if (character === '"') {
      const start = index;
      index += 1;
      let value = '';
      while (index < text.length && text[index] !== '"') {
        if (text[index] === '\\') {
          const escaped = text[index + 1] ?? '';
          value +=
            escaped === 'n'
              ? '\n'
              : escaped === 't'
                ? '\t'
                : escaped === 'u'
                  ? String.fromCharCode(parseInt(text.slice(index + 2, index + 6), 16))
                  : escaped;
          index += escaped === 'u' ? 6 : 2;
        } else {
          value += text[index];
          index += 1;
        }
      }
      index += 1;
      const frame = stack.at(-1);
      if (frame?.isObject && frame.expectKey) {
        frame.pendingKey = value;
        frame.expectKey = false;
        if (frame.path.length < maxDepth)
          positions.set([...frame.path, value].join('\u0000'), { keyOffset: start });
      } else if (frame?.isObject && frame.pendingKey !== undefined) {
        const member = positions.get([...frame.path, frame.pendingKey].join('\u0000'));
        if (member) member.valueOffset = start + 1;
        frame.pendingKey = undefined;
      }
      continue;
    }
    if (character === '{' || character === '[') {
      const frame = stack.at(-1);
      const key = frame?.isObject ? (frame.pendingKey ?? '') : '[]';
      if (frame?.isObject) frame.pendingKey = undefined;
      stack.push({
        path: frame ? [...frame.path, key] : [],
        isObject: character === '{',
        expectKey: character === '{',
      });
    } else if (character === '}' || character === ']') {
      stack.pop();
      const frame = stack.at(-1);
      if (frame?.isObject) frame.pendingKey = undefined;
    } else if (character === ',') {
      const frame = stack.at(-1);
      if (frame?.isObject) {
        frame.expectKey = true;
        frame.pendingKey = undefined;
      }
    }
    index += 1;
  }
  return positions;
}

/**
 * 1-based line and column of a character offset.
 *
 * @example lineAndColumn('a\nbc', 3) // => { line: 2, column: 2 }
 */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A line-start table, for many `lineAndColumn` lookups over one large text.
 *
 * @example createLineIndex('a\nbc')(3) // => { line: 2, column: 2 }
 */
export function createLineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
    starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  };
}
