import type { EncodedValue } from './encoded-value.ts';
import type { ParameterConstraints, TypeShape } from './type-shape.ts';

/** The languages the test-vector engine reads. */
export type VectorLanguage = 'typescript' | 'javascript' | 'python';

/** What a language analyser found in one source file. */
export interface SourceAnalysis {
  language: VectorLanguage;
  /** Absolute path of the analysed file. */
  file: string;
  functions: AnalyzedFunction[];
  /** Things worth knowing that did not stop the analysis (inferred types, skipped declarations...). */
  warnings: string[];
}

/** A callable the engine can generate vectors for: an exported function, arrow function or class method. */
export interface AnalyzedFunction {
  /** How callers name it: `slugify`, or `Cart.total` for a method. */
  name: string;
  kind: 'function' | 'method';
  /** For methods: the class to instantiate with no arguments (or to call statically). */
  className?: string;
  isStatic?: boolean;
  isAsync: boolean;
  line: number;
  column: number;
  /** The first paragraph of the documentation. */
  summary: string;
  parameters: AnalyzedParameter[];
  returns: { type: TypeShape; typeText: string; description?: string };
  /** Documented exceptions: `@throws {RangeError} when...`, `Raises: ValueError: ...`. */
  throws: { type?: string; description: string }[];
  examples: DocumentedExample[];
  /** True when the docs say the function modifies an argument ("in place", "mutates", "modifies"). */
  documentsMutation: boolean;
  /** Parameters whose types could not be turned into vectors; the function still runs with the others. */
  unsupported: string[];
}

export interface AnalyzedParameter {
  name: string;
  type: TypeShape;
  /** The annotation as written, or the inferred type in words. */
  typeText: string;
  optional: boolean;
  hasDefault: boolean;
  rest: boolean;
  description?: string;
  constraints: ParameterConstraints;
  /** Set when the type was not declared: what it was inferred from. */
  inferredFrom?: string;
}

/** A documented example (`@example f(1) // => 2`, doctest `>>> f(1)` then `2`) parsed to literal values. */
export interface DocumentedExample {
  /** The example as written. */
  source: string;
  arguments: EncodedValue[];
  expected: { kind: 'returns'; value: EncodedValue } | { kind: 'throws'; errorType: string };
}
