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
      /** Properties the call added to `Object.prototype` (JavaScript). */
      prototypePollution?: string[];
    }
  | {
      status: 'threw';
      error: { type: string; message: string; native: boolean };
      durationMs: number;
      mutatedArguments: number[];
      prototypePollution?: string[];
    }
  | { status: 'timeout'; durationMs: number }
  | { status: 'crash'; exitCode: number | null; signal: string | null; output: string };
