import type { EncodedValue } from './encoded-value.ts';

/** The classes of the vector catalogue; each vector carries one. */
export type VectorClass =
  | 'typical'
  | 'boundary'
  | 'string'
  | 'unicode'
  | 'null'
  | 'type-confusion'
  | 'missing-argument'
  | 'collection'
  | 'security'
  | 'date'
  | 'example'
  | 'property'
  | 'metamorphic';

/** One call to make: arguments, why, and which parameter it targets. */
export interface TestVector {
  /** Stable within a run: `<function>#<index>`. */
  id: string;
  function: string;
  vectorClass: VectorClass;
  /** The parameter this vector varies, when there is one. */
  parameter?: string;
  rationale: string;
  arguments: EncodedValue[];
  /**
   * `valid` when every argument satisfies the declared type and documented preconditions; `robustness`
   * otherwise (outcomes are reported, but a rejection is not a bug).
   */
  validity: 'valid' | 'robustness';
  /** For `example` vectors: the documented expectation. */
  expected?: { kind: 'returns'; value: EncodedValue } | { kind: 'throws'; errorType: string };
}
