import type { StopResult } from '@plumb/engines';

/** A breakpoint as the debugger bound it. */
export interface BoundBreakpoint {
  line: number;
  verified: boolean;
  message?: string;
}

/** What `plumb debug` drives: the engine in this process, or a session on a Plumb server. */
export interface DebugDriver {
  /** Where the program is now (after launch or attach). */
  start(): Promise<StopResult>;
  command(name: 'continue' | 'step_over' | 'step_in' | 'step_out' | 'pause'): Promise<StopResult>;
  /** Replaces the breakpoints of one file. */
  setBreakpoints(file: string, lines: number[]): Promise<BoundBreakpoint[]>;
  evaluate(expression: string): Promise<string>;
  stack(): Promise<{ name: string; file?: string; line: number }[]>;
  /** Ends the local program (detaches from an attached one); leaves a server session running. */
  close(): Promise<void>;
}
