import path from 'node:path';
import { Lang, parse, registerDynamicLanguage, type SgRoot } from '@ast-grep/napi';
import go from '@ast-grep/lang-go';
import java from '@ast-grep/lang-java';
import python from '@ast-grep/lang-python';
import { PlumbError } from '@plumb/protocol';

/** Languages the security engine scans. Go parses but has no rules yet. */
export type SecurityLanguage = 'javascript' | 'typescript' | 'python' | 'java' | 'go';

const extensionLanguages: Record<string, SecurityLanguage> = {
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.py': 'python',
  '.java': 'java',
  '.go': 'go',
};

const aliases: Record<string, SecurityLanguage> = {
  javascript: 'javascript',
  js: 'javascript',
  jsx: 'javascript',
  node: 'javascript',
  typescript: 'typescript',
  ts: 'typescript',
  tsx: 'typescript',
  python: 'python',
  py: 'python',
  python3: 'python',
  java: 'java',
  go: 'go',
  golang: 'go',
};

let registered = false;

function ensureLanguagesRegistered(): void {
  if (registered) return;
  // registerDynamicLanguage may only run once per process for a language name.
  registerDynamicLanguage({ python, java, go });
  registered = true;
}

/** File extensions the engine scans. */
export const securityExtensions: readonly string[] = Object.keys(extensionLanguages);

/**
 * The security language of a file (by extension) or of an explicit language name.
 * Throws PlumbError `unsupported_language` when neither identifies a supported language.
 *
 * @example resolveSecurityLanguage({ file: 'app.py' }) // => 'python'
 */
export function resolveSecurityLanguage(options: {
  language?: string | undefined;
  file?: string | undefined;
}): SecurityLanguage {
  if (options.language !== undefined) {
    const language = aliases[options.language.trim().toLowerCase()];
    if (language === undefined)
      throw new PlumbError(
        'unsupported_language',
        `Language "${options.language}" is not supported by the security engine. Use one of: javascript, typescript, python, java, go.`,
        { param: 'language' },
      );
    return language;
  }
  if (options.file !== undefined) {
    const language = extensionLanguages[path.extname(options.file).toLowerCase()];
    if (language !== undefined) return language;
    throw new PlumbError(
      'unsupported_language',
      `Cannot tell the language of "${options.file}" from its extension. Pass language explicitly (javascript, typescript, python, java, go).`,
      { param: 'language' },
    );
  }
  throw new PlumbError(
    'unsupported_language',
    'No language and no file name given. Pass language (for example "typescript") or a file name with an extension.',
    { param: 'language' },
  );
}

/** The language whose rule files apply (TypeScript uses the JavaScript rules). */
export function ruleLanguageOf(language: SecurityLanguage): 'javascript' | 'python' | 'java' | 'go' {
  return language === 'typescript' ? 'javascript' : language;
}

/** A parsed file: the tree plus the line offset added when a fragment had to be wrapped to parse. */
export interface ParsedSource {
  root: SgRoot;
  /** The grammar that parsed it: tsx, typescript, python, java or go. */
  parser: string;
  lineOffset: number;
  columnOffset: number;
  hasErrors: boolean;
  firstErrorLine?: number;
}

/**
 * Parse a file or fragment. TSX grammar for JavaScript (JSX is common in .js), TypeScript grammar for .ts.
 * Indented Python fragments are dedented; Java method fragments are wrapped in a class when that makes them parse.
 *
 * @example parseSecuritySource('eval(x)', 'javascript', 'a.js').hasErrors // => false
 */
export function parseSecuritySource(
  code: string,
  language: SecurityLanguage,
  file: string,
  options: {
    /**
     * The same grammar already parsed this text without an ERROR node (the CLI pass checks every file): skip
     * the search for one, a walk of the whole tree.
     */
    knownWithoutErrors?: boolean;
  } = {},
): ParsedSource {
  ensureLanguagesRegistered();
  const withErrors = options.knownWithoutErrors === true ? withoutErrors : findErrors;
  if (language === 'python') {
    const indent = commonIndent(code);
    if (indent > 0) {
      const dedented = code
        .split('\n')
        .map((line) => (line.trim() === '' ? '' : line.slice(indent)))
        .join('\n');
      return withErrors(parse('python', dedented), 'python', 0, indent);
    }
    return withErrors(parse('python', code), 'python', 0, 0);
  }
  if (language === 'java') {
    const direct = withErrors(parse('java', code), 'java', 0, 0);
    if (!direct.hasErrors) return direct;
    const wrapped = withErrors(parse('java', `class PlumbFragment {\n${code}\n}`), 'java', -1, 0);
    return wrapped.hasErrors ? direct : wrapped;
  }
  if (language === 'go') return withErrors(parse('go', code), 'go', 0, 0);
  const grammar = language === 'typescript' && !/\.tsx$/i.test(file) ? Lang.TypeScript : Lang.Tsx;
  const parsed = withErrors(parse(grammar, code), grammar === Lang.Tsx ? 'tsx' : 'typescript', 0, 0);
  if (parsed.hasErrors && grammar === Lang.Tsx && language === 'javascript') {
    // Plain JavaScript with `<` comparisons can confuse the JSX grammar; TypeScript's grammar may do better.
    const retry = withErrors(parse(Lang.TypeScript, code), 'typescript', 0, 0);
    if (!retry.hasErrors) return retry;
  }
  return parsed;
}

function withoutErrors(root: SgRoot, parser: string, lineOffset: number, columnOffset: number): ParsedSource {
  return { root, parser, lineOffset, columnOffset, hasErrors: false };
}

function findErrors(root: SgRoot, parser: string, lineOffset: number, columnOffset: number): ParsedSource {
  const errorNode = root.root().find({ rule: { kind: 'ERROR' } });
  if (errorNode === null) return { root, parser, lineOffset, columnOffset, hasErrors: false };
  return {
    root,
    parser,
    lineOffset,
    columnOffset,
    hasErrors: true,
    firstErrorLine: errorNode.range().start.line + 1 + lineOffset,
  };
}

function commonIndent(code: string): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (const line of code.split('\n')) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    smallest = Math.min(smallest, indent);
    if (smallest === 0) return 0;
  }
  return Number.isFinite(smallest) ? smallest : 0;
}
