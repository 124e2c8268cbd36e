/**
 * The shape of a parameter or return type, reduced to what vector generation and the type oracle need.
 * Both language analysers (TypeScript compiler API, Python `ast`) produce it, so the rest of the engine is
 * language-neutral. Enums and `Literal[...]` become unions of literals; `Optional[T]` becomes `T | null`.
 */
export type TypeShape =
  | { kind: 'number'; integer?: boolean }
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'bigint' }
  | { kind: 'null' }
  | { kind: 'undefined' }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'union'; options: TypeShape[] }
  | { kind: 'array'; element: TypeShape }
  | { kind: 'tuple'; elements: TypeShape[] }
  | { kind: 'set'; element: TypeShape }
  | { kind: 'object'; properties: ObjectProperty[]; className?: string }
  | { kind: 'record'; value: TypeShape }
  | { kind: 'date' }
  | { kind: 'void' }
  | { kind: 'any' }
  | { kind: 'unsupported'; text: string };

/** One property of an object shape (TypeScript interface or object literal type, Python dataclass field). */
export interface ObjectProperty {
  name: string;
  type: TypeShape;
  optional: boolean;
}

/**
 * Preconditions parsed from documentation ("between 1 and 100", "non-negative", "n > 0", "non-empty",
 * "sorted", "an integer"). A vector whose arguments break one is a robustness vector: run and reported, but a
 * function is not blamed for rejecting input its contract excludes.
 */
export interface ParameterConstraints {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  integer?: boolean;
  nonEmpty?: boolean;
  sorted?: boolean;
  /** A format named in the docs; formats guide typical values but are not preconditions. */
  format?: 'email' | 'iso-date' | 'url' | 'uuid' | 'path';
}
