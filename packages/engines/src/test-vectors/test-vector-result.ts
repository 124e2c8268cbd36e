import type { AnalyzedFunction, VectorLanguage } from './analyzed-function.ts';
import type { Finding } from './finding.ts';
import type { TestVector } from './test-vector.ts';
import type { VectorOutcome } from './vector-outcome.ts';

/** One executed vector with its outcome and any findings judged from it. */
export interface VectorRun {
  vector: TestVector;
  outcome: VectorOutcome;
  /** The other implementation's outcome in differential mode. */
  referenceOutcome?: VectorOutcome;
  /** Findings whose `vectorId` is this vector's id. */
  findings: Finding[];
  /** Set when the outcome is a rejection or failure of an input outside the documented contract. */
  robustnessNote?: string;
}

/** Everything the engine learned about one function. */
export interface FunctionReport {
  function: AnalyzedFunction;
  runs: VectorRun[];
  findings: Finding[];
  /** Counts by outcome status, for the summary. */
  counts: { vectors: number; returned: number; threw: number; timeout: number; crash: number };
}

/** The whole result of `generateTestVectors`: JSON-able, deterministic apart from `durationMs` fields. */
export interface TestVectorResult {
  language: VectorLanguage;
  file: string;
  /** The seed every random choice came from; the same input and seed give the same vectors and files. */
  seed: number;
  mode: 'standard' | 'differential' | 'regression';
  /** In differential mode, the other implementation's file. */
  referenceFile?: string;
  functions: FunctionReport[];
  findings: Finding[];
  warnings: string[];
}
