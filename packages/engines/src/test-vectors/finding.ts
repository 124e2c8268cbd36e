/** Kinds of finding: what a user must look at. */
export type FindingKind =
  | 'crash'
  | 'undocumented-exception'
  | 'hang'
  | 'slow'
  | 'example-mismatch'
  | 'type-violation'
  | 'non-finite-result'
  | 'malformed-unicode'
  | 'injection-reflection'
  | 'prototype-pollution'
  | 'non-determinism'
  | 'input-mutation'
  | 'metamorphic'
  | 'divergence'
  | 'regression';

/** A judged problem, tied to the vector that exposed it. */
export interface Finding {
  kind: FindingKind;
  function: string;
  vectorId: string;
  severity: 'high' | 'medium' | 'low';
  message: string;
}
