import type { DebugBreakpoint, DebugCommand } from '@plumb/protocol';
import type { VariablePath } from './variable-paths.ts';

/**
 * One state-changing operation of a debug session, as journaled. Replaying the journal on a relaunched
 * program rebuilds the session after a server restart; commands carry where they stopped, so a replay that
 * lands elsewhere is detected.
 */
export type DebugJournalOperation =
  | { kind: 'breakpoints'; file: string; breakpoints: DebugBreakpoint[] }
  | { kind: 'exception_breakpoints'; filters: ('uncaught' | 'all' | 'assertion')[] }
  | {
      kind: 'command';
      command: DebugCommand;
      file?: string;
      line?: number;
      /** Where the command left the program: `stopped` with its location, `running` or `terminated`. */
      outcome: { status: 'stopped' | 'running' | 'terminated'; file?: string; line?: number };
    }
  | { kind: 'evaluate'; expression: string; frameId?: number }
  /**
   * A variable change. `path` names the container when the session knew it (journals written before paths
   * existed have only `name`, and their changes are reported as not replayable).
   */
  | { kind: 'set_variable'; name: string; value?: string; path?: VariablePath };
