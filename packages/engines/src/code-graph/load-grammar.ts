import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';

/** Where a grammar's `.wasm` file ships: an npm package and the file name beside its `package.json`. */
export interface GrammarLocation {
  packageName: string;
  wasmFile: string;
}

const require = createRequire(import.meta.url);

let initialisation: Promise<void> | undefined;
const languages = new Map<string, Promise<Language>>();
const queries = new WeakMap<Language, Map<string, Query>>();

/** Initialises the web-tree-sitter runtime once per process; later calls share the same promise. */
export function initialiseTreeSitter(): Promise<void> {
  initialisation ??= Parser.init();
  return initialisation;
}

/**
 * Loads (once) the official grammar shipped as `.wasm` inside a grammar package.
 *
 * @example
 * const python = await loadGrammar({ packageName: 'tree-sitter-python', wasmFile: 'tree-sitter-python.wasm' });
 */
export function loadGrammar(location: GrammarLocation): Promise<Language> {
  const key = `${location.packageName}/${location.wasmFile}`;
  let language = languages.get(key);
  if (!language) {
    language = (async () => {
      await initialiseTreeSitter();
      const packageDirectory = dirname(require.resolve(`${location.packageName}/package.json`));
      // Reading the bytes ourselves keeps web-tree-sitter from guessing between fetch and fs.
      const bytes = await readFile(join(packageDirectory, location.wasmFile));
      return Language.load(bytes);
    })();
    // A failed load is not cached, so a later call can retry after the package is installed.
    language.catch(() => languages.delete(key));
    languages.set(key, language);
  }
  return language;
}

/**
 * Compiles a query once per language and source text; compiled queries are reused for every file.
 *
 * @example
 * const query = compileQuery(python, '(function_definition name: (identifier) @name)');
 */
export function compileQuery(language: Language, source: string): Query {
  let byLanguage = queries.get(language);
  if (!byLanguage) {
    byLanguage = new Map();
    queries.set(language, byLanguage);
  }
  let query = byLanguage.get(source);
  if (!query) {
    query = new Query(language, source);
    byLanguage.set(source, query);
  }
  return query;
}
