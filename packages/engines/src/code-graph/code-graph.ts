import type { DefinitionFact, FileFacts, ReferenceKind } from './file-facts.ts';

/** A definition together with the file it is in. */
export interface GraphDefinition extends DefinitionFact {
  path: string;
}

/**
 * A resolved use of one definition by another. `from` is a definition id, or `path#` (the file itself) for a
 * reference at module level. References whose name matches several definitions produce one edge per
 * candidate with `confidence` 1/n (ranked: same file, imported file, same package/folder first); an
 * unambiguous one has confidence 1.
 */
export interface CodeGraphEdge {
  from: string;
  to: string;
  kind: ReferenceKind;
  /** How many references collapsed into this edge. */
  count: number;
  confidence: number;
}

/** An import resolved to a file of the repository. */
export interface FileDependency {
  from: string;
  to: string;
  specifier: string;
  typeOnly: boolean;
}

/**
 * The resolved graph over all indexed files: built in memory from the store's facts by `buildCodeGraph`
 * (milliseconds per thousand files), replaced as a whole when the index changes, so readers always see one
 * consistent revision.
 */
export interface CodeGraph {
  readonly revision: number;
  readonly files: ReadonlyMap<string, FileFacts>;
  readonly definitions: ReadonlyMap<string, GraphDefinition>;
  readonly edges: readonly CodeGraphEdge[];
  readonly fileDependencies: readonly FileDependency[];
  /** Path → the packages it imports from outside the repository (`react`, `os`, `java.util`, `net/http`). */
  readonly externalImports: ReadonlyMap<string, readonly string[]>;
  /** Edges leaving a definition (or `path#`). */
  outgoing(id: string): readonly CodeGraphEdge[];
  /** Edges arriving at a definition. */
  incoming(id: string): readonly CodeGraphEdge[];
  /** Definitions with exactly this name (not qualified). */
  byName(name: string): readonly GraphDefinition[];
  /** Definitions contained in a definition (methods of a class), in source order. */
  children(id: string): readonly GraphDefinition[];
}
