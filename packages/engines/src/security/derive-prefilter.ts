/**
 * A cheap regular expression a file must match before an ast-grep rule can match it: identifiers named in the
 * rule's patterns (all of them for `all`, one of them for `any`). Undefined when nothing can be derived.
 *
 * @example derivePrefilter({ pattern: 'eval($X)' })?.source // => '\\beval\\b'
 */
export function derivePrefilter(
  rule: unknown,
  constraints?: Record<string, Record<string, unknown>>,
): RegExp | undefined {
  const words = requiredWords(rule, constraintWords(constraints));
  if (words === undefined || words.length === 0) return undefined;
  return new RegExp(words.map((word) => `\\b${word}\\b`).join('|'));
}

/**
 * Words a constrained metavariable must be one of: `METHOD: { regex: '^(query|execute)$' }` -> query, execute.
 * Only plain alternations of identifiers qualify (anything fancier gives no words).
 */
function constraintWords(
  constraints: Record<string, Record<string, unknown>> | undefined,
): Map<string, string[]> {
  const words = new Map<string, string[]>();
  for (const [name, constraint] of Object.entries(constraints ?? {})) {
    const regex = constraint.regex;
    if (typeof regex !== 'string') continue;
    const match = /^\^\(?((?:\\?\$?[A-Za-z_][A-Za-z0-9_]*\|?)+)\)?\$$/.exec(regex);
    if (match === null) continue;
    const alternatives = (match[1] ?? '').split('|').map((word) => word.replace(/^\\?\$/, ''));
    if (alternatives.every((word) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(word))) words.set(name, alternatives);
  }
  return words;
}

/** One of these words must appear (undefined: no constraint). */
function requiredWords(rule: unknown, constrained: Map<string, string[]>): string[] | undefined {
  if (typeof rule !== 'object' || rule === null) return undefined;
  const record = rule as Record<string, unknown>;
  const candidates: string[][] = [];
  if (typeof record.pattern === 'string') {
    const word = longestWord(record.pattern);
    if (word !== undefined) candidates.push([word]);
    // A constrained metavariable in the pattern must be one of its listed words.
    for (const variable of record.pattern.match(/\$\$?\$?[A-Z_][A-Z0-9_]*/g) ?? []) {
      const words = constrained.get(variable.replace(/^\$+/, ''));
      if (words !== undefined) candidates.push(words);
    }
  } else if (typeof record.pattern === 'object' && record.pattern !== null) {
    const context = (record.pattern as { context?: unknown }).context;
    if (typeof context === 'string') {
      const word = longestWord(context);
      if (word !== undefined) candidates.push([word]);
    }
  }
  if (typeof record.regex === 'string') {
    const words = anchoredWords(record.regex);
    if (words !== undefined) candidates.push(words);
  }
  // A node this rule needs around, inside, before or after the match is in the file too.
  for (const relation of ['has', 'inside', 'follows', 'precedes']) {
    const words = requiredWords(record[relation], constrained);
    if (words !== undefined) candidates.push(words);
  }
  if (Array.isArray(record.any)) {
    const alternatives = record.any.map((part) => requiredWords(part, constrained));
    if (alternatives.every((alternative): alternative is string[] => alternative !== undefined))
      candidates.push(alternatives.flat());
  }
  if (Array.isArray(record.all)) {
    for (const part of record.all) {
      const words = requiredWords(part, constrained);
      if (words !== undefined) candidates.push(words);
    }
  }
  // The narrowest single constraint is enough for a pre-filter.
  candidates.sort((left, right) => left.length - right.length);
  return candidates[0];
}

/**
 * Words one of which a node matching `regex` contains, when the regex starts (at `^` or `(^|\.)`) with a plain
 * dotted name or an alternation of them that ends at a word boundary: `^(random|np\.random)$` -> random;
 * `^os\.(system|popen)\(` -> os; `(^|\.)run_simple$` -> run_simple. Case-insensitive or fancier regexes give
 * none.
 */
function anchoredWords(regex: string): string[] | undefined {
  const name = String.raw`[A-Za-z_][A-Za-z0-9_]*(?:\\\.[A-Za-z_][A-Za-z0-9_]*)*`;
  const match = new RegExp(
    String.raw`^(?:\^|\((?:\?:)?\^\|\\\.\))(?:\((?:\?:)?(${name}(?:\|${name})*)\)|(${name}))(?:\$|\\\.|\\\(|\\b|\\s)`,
  ).exec(regex);
  if (match === null) return undefined;
  const alternatives = (match[1] ?? match[2] ?? '').split('|');
  const words = alternatives.map((alternative) => {
    let best = '';
    for (const word of alternative.split('\\.')) if (word.length > best.length) best = word;
    return best;
  });
  return words.every((word) => word.length >= 2) ? [...new Set(words)] : undefined;
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
