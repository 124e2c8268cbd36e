/** What a fence's info string says about the code block below it. */
export interface FenceInfo {
  language: string | null;
  path: string | null;
}

const pathAttributePattern = /(?:^|\s)(?:path|file|filename|title)=(?:"([^"]*)"|'([^']*)'|(\S+))/i;

/**
 * Reads the language and file path from the info string of a fenced code block (the text after the
 * opening ```` ``` ````). Models label files in several ways; all of these are understood:
 *
 * - `ts path=src/app.ts` (Plumb's own format), `ts file=src/app.ts`, `ts filename=src/app.ts`,
 *   `ts title="src/app.ts"` (quotes optional, single or double)
 * - `python:app/main.py` (language and path joined by a colon)
 * - `ts src/app.ts` (a second word that looks like a path: it has a slash or a file extension)
 *
 * @example
 * parseFenceInfo('ts path=src/app.ts'); // { language: 'ts', path: 'src/app.ts' }
 * parseFenceInfo('python:app/main.py'); // { language: 'python', path: 'app/main.py' }
 * parseFenceInfo(''); // { language: null, path: null }
 */
export function parseFenceInfo(info: string): FenceInfo {
  const trimmed = info.trim();
  if (trimmed === '') return { language: null, path: null };

  const words = trimmed.split(/\s+/);
  const firstWord = words[0] ?? '';
  const attribute = pathAttributePattern.exec(trimmed);
  const attributePath = attribute ? (attribute[1] ?? attribute[2] ?? attribute[3] ?? null) : null;

  // A first word that is itself an attribute (```path=src/a.ts) names no language.
  if (firstWord.includes('=')) return { language: null, path: nonEmpty(attributePath) };

  const colonIndex = firstWord.indexOf(':');
  if (colonIndex > 0 && colonIndex < firstWord.length - 1) {
    return {
      language: firstWord.slice(0, colonIndex),
      path: attributePath ?? firstWord.slice(colonIndex + 1),
    };
  }

  const language = stripBraces(firstWord);
  if (attributePath !== null) return { language, path: nonEmpty(attributePath) };

  const secondWord = words[1];
  if (secondWord !== undefined && looksLikePath(secondWord)) return { language, path: secondWord };
  return { language, path: null };
}

/** `{python}` and `{.python}` (Pandoc, R Markdown) name the language too. */
function stripBraces(word: string): string | null {
  const stripped = word.replace(/^\{\.?/, '').replace(/\}$/, '');
  return stripped === '' ? null : stripped;
}

function looksLikePath(word: string): boolean {
  // Line highlights ({1,3}), attributes (a=b) and options (--flag) are not paths.
  if (/^[{(\-#]/.test(word) || word.includes('=')) return false;
  return /[\\/]/.test(word) || /^[\w.-]*\w\.[A-Za-z0-9]{1,10}$/.test(word);
}

function nonEmpty(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value.trim();
}
