/**
 * What the code graph extracts from one source file: definitions, imports, references and SQL tables.
 * Plain JSON: the store persists it as-is, keyed by repository-relative path and content hash, so an unchanged
 * file is never parsed again. Resolution (imports to files, references to definitions) happens later, over all
 * files at once, in `buildCodeGraph`.
 */

/** The languages the code graph parses; each is one data module under `languages/`. */
export type CodeLanguage = 'typescript' | 'tsx' | 'javascript' | 'python' | 'java' | 'go';

export type DefinitionKind =
  | 'class'
  | 'interface'
  | 'enum'
  | 'type'
  | 'function'
  | 'method'
  | 'constructor'
  | 'field'
  | 'variable'
  | 'module';

/** Lines and columns are 1-based; `endLine`/`endColumn` point at the last character. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface DefinitionFact {
  /**
   * `path#qualifiedName`, unique in the repository (a repeated qualified name in one file gets `~2`, `~3`).
   * Stable across re-indexing while the file keeps the same definitions.
   */
  id: string;
  name: string;
  /** Dotted inside the file: `OrderService.place`, `Outer.Inner.method`. */
  qualifiedName: string;
  kind: DefinitionKind;
  range: SourceRange;
  /** The declaration's head as written, without its body (`place(order: Order): Promise<Receipt>`). */
  signature: string;
  /** The doc comment or docstring, stripped of comment markers; absent when there is none. */
  doc?: string;
  /** Visible outside its module (export, public, capitalised Go name, Python name without a leading `_`). */
  exported: boolean;
  /** The id of the enclosing definition (class of a method), if any. */
  parent?: string;
  /** Base classes and implemented interfaces, by name as written (`Base`, `pkg.Base`, `Comparable<T>` → `Comparable`). */
  extends: string[];
  implements: string[];
  /** Decorators and annotations by name (`Controller`, `app.get`, `Scheduled`), for entry-point recognition. */
  decorators: string[];
  /** Cyclomatic complexity of the body (1 + decision points); 1 for declarations without a body. */
  complexity: number;
}

export type ImportKind = 'static' | 'dynamic' | 'require' | 'reexport';

export interface ImportFact {
  /** As written: `./orders/order-service`, `@app/db`, `os.path`, `com.acme.billing.Invoice`, `net/http`. */
  specifier: string;
  /** Imported names with their local aliases; `*` for a namespace or wildcard import. */
  names: { imported: string; local: string }[];
  line: number;
  kind: ImportKind;
  /** TypeScript `import type`: a dependency for architecture, not at run time. */
  typeOnly: boolean;
}

export type ReferenceKind = 'call' | 'new' | 'type' | 'inherit' | 'read' | 'decorator';

export interface ReferenceFact {
  /** The referenced identifier (`place` in `orders.place()`). */
  name: string;
  /** The object or qualifier it was reached through, as written (`orders`, `this`, `OrderService`, `pkg`). */
  receiver?: string;
  kind: ReferenceKind;
  line: number;
  column: number;
  /** The id of the innermost definition containing the reference; absent at module level. */
  enclosing?: string;
}

/** A database table named in an SQL string literal (`SELECT ... FROM orders`), for shared-data analysis. */
export interface TableFact {
  table: string;
  operation: 'select' | 'insert' | 'update' | 'delete' | 'other';
  line: number;
  enclosing?: string;
}

export interface FileFacts {
  /** Repository-relative, forward slashes. */
  path: string;
  language: CodeLanguage;
  /** SHA-256 of the content, hex. */
  hash: string;
  lines: number;
  /** Java package, Go package name, Python dotted module path; absent for JS/TS. */
  packageName?: string;
  /** A test file (by name or by test-framework imports). */
  isTest: boolean;
  definitions: DefinitionFact[];
  imports: ImportFact[];
  references: ReferenceFact[];
  tables: TableFact[];
  /** Syntax errors the parser recovered from; the facts are then partial. */
  parseErrors: { line: number; column: number }[];
}
