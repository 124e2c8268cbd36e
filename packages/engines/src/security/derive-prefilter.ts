/**
 * A cheap regular expression a file must match before an ast-grep rule can match it: identifiers named in the
 * rule's patterns (all of them for `all`, one of them for `any`). Undefined when nothing can be derived.
 *
 * @example derivePrefilter({ pattern: 'eval($X)' })?.source // => '\\beval\\b'
 */
export function derivePrefilter(rule: unknown): RegExp | undefined {
  const words = requiredWords(rule);
  if (words === undefined || words.length === 0) return undefined;
  return new RegExp(words.map((word) => `\\b${word}\\b`).join('|'));
}

/** One of these words must appear (undefined: no constraint). */
function requiredWords(rule: unknown): string[] | undefined {
  if (typeof rule !== 'object' || rule === null) return undefined;
  const record = rule as Record<string, unknown>;
  const candidates: string[][] = [];
  if (typeof record.pattern === 'string') {
    const word = longestWord(record.pattern);
    if (word !== undefined) candidates.push([word]);
  } else if (typeof record.pattern === 'object' && record.pattern !== null) {
    const context = (record.pattern as { context?: unknown }).context;
    if (typeof context === 'string') {
      const word = longestWord(context);
      if (word !== undefined) candidates.push([word]);
    }
  }
  if (Array.isArray(record.any)) {
    const alternatives = record.any.map(requiredWords);
    if (alternatives.every((alternative): alternative is string[] => alternative !== undefined))
      candidates.push(alternatives.flat());
  }
  if (Array.isArray(record.all)) {
    for (const part of record.all) {
      const words = requiredWords(part);
      if (words !== undefined) candidates.push(words);
    }
  }
  // The narrowest single constraint is enough for a pre-filter.
  candidates.sort((left, right) => left.length - right.length);
  return candidates[0];
}

function longestWord(pattern: string): string | undefined {
  const words = (
    pattern
      .replace(/\$\$?\$?[A-Z_][A-Z0-9_]*/g, ' ')
      .replace(/(["'`]).*?\1/g, ' ')
      .match(/[A-Za-z_][A-Za-z0-9_]{2,}/g) ?? []
  ).filter(
    (word) =>
      ![
        'const',
        'let',
        'var',
        'new',
        'await',
        'return',
        'def',
        'function',
        'true',
        'false',
        'True',
        'False',
        'None',
        'null',
        'this',
        'self',
      ].includes(word),
  );
  let best: string | undefined;
  for (const word of words) if (best === undefined || word.length > best.length) best = word;
  return best;
}
