import type { EncodedValue } from './encoded-value.ts';
import type { VectorOutcome } from './vector-outcome.ts';

/**
 * The line protocol between the engine and an executor process (`node-executor.mjs`, `python-executor.py`).
 * The executor reads JSON lines from file descriptor 3 and writes JSON lines to file descriptor 4, so the code
 * under test keeps stdin, stdout and stderr to itself. It imports the module under test once, then answers
 * `run` requests one at a time; the engine enforces the per-vector time limit by killing the process.
 */
export type ExecutorRequest = {
  type: 'run';
  id: string;
  /** `name` or `Class.method`. */
  function: string;
  arguments: EncodedValue[];
  /** Run the call twice with freshly decoded arguments to detect non-determinism. */
  repeat: 1 | 2;
};

export type ExecutorMessage =
  | { type: 'ready'; exports: string[] }
  | { type: 'import-error'; error: { type: string; message: string } }
  | { type: 'result'; id: string; outcome: Exclude<VectorOutcome, { status: 'timeout' | 'crash' }> };
