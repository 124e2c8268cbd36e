import type { EncodedValue } from './encoded-value.ts';

/** What happened when a vector ran. */
export type VectorOutcome =
  | {
      status: 'returned';
      value: EncodedValue;
      durationMs: number;
      /** Indexes of arguments whose value changed during the call. */
      mutatedArguments: number[];
      /** The second run's value when two runs of the same call disagreed. */
      secondValue?: EncodedValue;
    }
  | {
      status: 'threw';
      error: { type: string; message: string; native: boolean };
      durationMs: number;
      mutatedArguments: number[];
    }
  | { status: 'timeout'; durationMs: number }
  | { status: 'crash'; exitCode: number | null; signal: string | null; output: string };
