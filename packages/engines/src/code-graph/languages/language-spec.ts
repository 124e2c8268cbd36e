import type { Node } from 'web-tree-sitter';
import type { CodeLanguage, DefinitionKind, ImportFact } from '../file-facts.ts';
import type { GrammarLocation } from '../load-grammar.ts';

/** What a spec's `isExported` hook knows about a definition besides its node. */
export interface ExportContext {
  name: string;
  /** The enclosing definition, if any, with its already computed export state. */
  parent?: { kind: DefinitionKind; exported: boolean };
  /** Names a module exports by list (`export { a, b as c }`, `export default a`), from `exportedNames`. */
  exportedNames: ReadonlySet<string>;
}

/**
 * Everything the extractor knows about one language. Adding a language is one such module plus one line in
 * `languages/index.ts`; the extractor itself holds nothing language-specific.
 *
 * Query capture conventions (when several patterns capture the same node, the earliest pattern wins):
 * - `definitionsQuery`: `@definition.<kind>` on the declaration node (a `DefinitionKind`), `@name` on its name,
 *   optionally `@body` on the part the signature stops before (else the node's `body` field is used).
 *   `@definition.<kind>.module` keeps the definition only where `isModuleLevel` says so: patterns rooted at the
 *   module node would say the same but make web-tree-sitter's query run about 40% slower.
 * - `referencesQuery`: `@reference.<kind>` (`call`, `new`, `type`, `read`, `decorator`, and `extends` /
 *   `implements`, which become `inherit` references and fill the definition's lists), `@name` on the
 *   referenced identifier, optional `@receiver`. Nodes captured as `@skip` or `@receiver` never become names.
 *   `@typeParameter` declares a generic parameter: `type` references to its name are dropped (noise, never resolvable).
 * - `importsQuery`: `@import` on each import-like node, turned into facts by `readImports`.
 * - `stringsQuery`: `@string` on string literals (scanned for SQL).
 * - `decisionPointsQuery`: `@decision` on each branch point counted by cyclomatic complexity.
 */
export interface LanguageSpec {
  language: CodeLanguage;
  /** Lower-case, with the dot: `.ts`. */
  extensions: readonly string[];
  grammar: GrammarLocation;
  definitionsQuery: string;
  referencesQuery: string;
  importsQuery: string;
  stringsQuery: string;
  decisionPointsQuery: string;
  /** Names that make a method a constructor (`constructor`, `__init__`). */
  constructorNames?: readonly string[];
  /** Reads one `@import` node; `line` is filled in by the extractor. */
  readImports(node: Node): Omit<ImportFact, 'line'>[];
  /** The doc comment of a definition, stripped of comment markers. */
  docOf(node: Node): string | undefined;
  /** The decorator or annotation nodes applied to a definition. */
  decoratorsOf(node: Node): Node[];
  isExported(node: Node, context: ExportContext): boolean;
  /** For `@definition.<kind>.module` captures: whether the declaration sits at module level. */
  isModuleLevel?(node: Node): boolean;
  /** Names exported by list rather than at their declaration. */
  exportedNames?(root: Node): Set<string>;
  /** A qualifier declared outside the nesting, such as a Go method's receiver type (`Server` for `Server.Handle`). */
  qualifierOf?(node: Node): string | undefined;
  /** Java package, Go package, Python module path. */
  packageName?(root: Node, path: string): string | undefined;
  /** Test files by name, beyond the shared folder rules (`__tests__/`, `tests/`, `src/test/`). */
  isTestFileName(fileName: string): boolean;
  /** Import specifiers of test frameworks; a file importing one is a test. */
  testFrameworks: readonly string[];
}
