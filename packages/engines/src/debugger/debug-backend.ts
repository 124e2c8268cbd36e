import type { DebugProtocol } from '@vscode/debugprotocol';

/** Languages with a debug backend. */
export type DebugLanguage = 'javascript' | 'python';

/**
 * Exception breakpoint filters (DAP `setExceptionBreakpoints` filter ids): `uncaught` stops where an exception
 * nobody catches was thrown, `all` at every exception thrown in user code, `assertion` at the first raise of an
 * assertion error even when a test framework catches it (what "a failing assertion" means for run to failure).
 */
export type ExceptionFilter = 'uncaught' | 'all' | 'assertion';

export interface LaunchOptions {
  /**
   * The program (or test file) to run: a .js/.mjs/.cjs/.ts file for JavaScript, a Python file for Python. A
   * test command is its runner's script plus arguments, e.g. `/usr/bin/pytest-3` with `['-q', 'test_cart.py']`.
   */
  program: string;
  args?: string[];
  /** Working directory of the program; default: the program's directory. */
  cwd?: string;
  /**
   * Extra environment variables. Nothing else of the engine's environment reaches the program except the
   * sandbox's allow-list (PATH, LANG, ...), so secrets never do.
   */
  environment?: Record<string, string>;
  /** Stop before the first line of the program runs. */
  stopOnEntry?: boolean;
  /** Breakpoints to set before any code runs, by absolute file path. */
  breakpoints?: Record<string, DebugProtocol.SourceBreakpoint[]>;
  exceptionFilters?: ExceptionFilter[];
  /** How long `launch` waits for the first stop before answering `running`; default 5000 ms. */
  waitMilliseconds?: number;
  /**
   * Address-space limit of the program (default {@link defaultDebuggeeMemoryLimitBytes}): a program that
   * allocates without end gets an out-of-memory error, not the machine's memory.
   */
  memoryLimitBytes?: number;
  /** Extra paths the program may read (bubblewrap hides /tmp); the program's directory is always readable. */
  readablePaths?: string[];
}

/** Attaching to a JavaScript/TypeScript program that already runs under `node --inspect` (or `--inspect-brk`). */
export interface AttachOptions {
  /**
   * Where its inspector listens: `host:port` or `http://host:port` (resolved through the inspector's
   * `/json/list`), or the `ws://host:port/<id>` URL Node printed (`Debugger listening on ws://...`).
   */
  address: string;
  /** Breakpoints to set right after attaching, by absolute file path. */
  breakpoints?: Record<string, DebugProtocol.SourceBreakpoint[]>;
  exceptionFilters?: ExceptionFilter[];
  /**
   * Stop at the program's first statement. Only meaningful while the program has not run its own code yet
   * (`--inspect-brk` holds it before the first line); an already running program answers `running`.
   */
  stopOnEntry?: boolean;
  /** How long `attach` waits for a stop before answering `running`; default 5000 ms. */
  waitMilliseconds?: number;
  /**
   * Allow a host other than loopback (127.0.0.0/8, ::1, localhost). Off by default: the inspector runs any
   * code its client sends, and its protocol has neither authentication nor encryption.
   */
  allowRemoteHosts?: boolean;
}

/** One variable as the snapshot shows it: value summarised and bounded. */
export interface VariableSummary {
  name: string;
  value: string;
  type?: string;
  /** Non-zero when the value has children; expand with `variables`. */
  variablesReference: number;
}

export interface SnapshotFrame {
  id: number;
  name: string;
  file?: string;
  line: number;
  column: number;
  /** True for frames of an awaited caller (JavaScript async stack). */
  isAsync?: boolean;
}

/** A compact picture of a stopped program: what a person or a model needs to decide the next step. */
export interface StateSnapshot {
  reason: 'entry' | 'breakpoint' | 'step' | 'pause' | 'exception' | 'goto';
  /** For exceptions: `TypeError: x is undefined`. */
  description?: string;
  exception?: { type: string; message: string };
  location: { file: string; line: number; column: number; function: string };
  /** Source lines around the location; `startLine` is the 1-based number of `lines[0]`. */
  source: { startLine: number; lines: string[] };
  /** Locals of the top frame, at most `localsLimit` of them, values at most a few hundred characters. */
  locals: VariableSummary[];
  localsTruncated: boolean;
  callStack: SnapshotFrame[];
  /** The last lines the program wrote (stdout, stderr, logpoints). */
  recentOutput: string[];
  hitBreakpointIds?: number[];
}

/** What `launch`, `continue`, the steps and `pause` answer. */
export type StopResult =
  | { status: 'stopped'; snapshot: StateSnapshot }
  | { status: 'running' }
  | { status: 'terminated'; exitCode: number | null; recentOutput: string[] };

export interface WaitOptions {
  /** How long to wait for the program to stop before answering `running`; default 5000 ms. */
  waitMilliseconds?: number;
}

export interface EvaluateOptions {
  expression: string;
  /** A frame id from the call stack; default: the top frame. */
  frameId?: number;
  /** The evaluation is interrupted after this long and answers an error; default 2000 ms. */
  timeoutMilliseconds?: number;
}

export interface EvaluateResult {
  result: string;
  type?: string;
  variablesReference: number;
}

export interface VariablesOptions {
  variablesReference: number;
  /** Paging: first child to return (0-based) and how many; default all, capped at 100. */
  start?: number;
  count?: number;
}

/** Events a backend emits, in DAP shape (`stopped`, `continued`, `output`, `breakpoint`, `terminated`). */
export type DebugEvent =
  | DebugProtocol.StoppedEvent
  | DebugProtocol.ContinuedEvent
  | DebugProtocol.OutputEvent
  | DebugProtocol.BreakpointEvent
  | DebugProtocol.TerminatedEvent;

/**
 * One debuggee and the debugger attached to it. Every backend passes `runDebugBackendContract`. Methods that
 * need a stopped program throw `PlumbError('conflict')` while it runs; everything after `terminate` or the
 * program's end throws `debug_session_terminated`.
 */
export interface DebugBackend {
  readonly language: DebugLanguage;
  launch(options: LaunchOptions): Promise<StopResult>;
  /**
   * Attaches to a program someone else started (JavaScript only; other backends throw `unsupported_language`).
   * `terminate` then detaches and leaves the program running; its own end answers `terminated`.
   */
  attach(options: AttachOptions): Promise<StopResult>;
  /** Replaces the breakpoints of `file`; answers where each one was bound (moved lines carry a `message`). */
  setBreakpoints(
    file: string,
    breakpoints: DebugProtocol.SourceBreakpoint[],
  ): Promise<DebugProtocol.Breakpoint[]>;
  setExceptionBreakpoints(filters: ExceptionFilter[]): Promise<void>;
  continue(options?: WaitOptions): Promise<StopResult>;
  stepOver(options?: WaitOptions): Promise<StopResult>;
  stepIn(options?: WaitOptions): Promise<StopResult>;
  stepOut(options?: WaitOptions): Promise<StopResult>;
  pause(options?: WaitOptions): Promise<StopResult>;
  /** Waits for the running program to stop or end (long poll). */
  waitForStop(options?: WaitOptions): Promise<StopResult>;
  stackTrace(): Promise<DebugProtocol.StackFrame[]>;
  scopes(frameId: number): Promise<DebugProtocol.Scope[]>;
  variables(options: VariablesOptions): Promise<DebugProtocol.Variable[]>;
  evaluate(options: EvaluateOptions): Promise<EvaluateResult>;
  setVariable(options: { variablesReference: number; name: string; value: string }): Promise<EvaluateResult>;
  /** Everything the program wrote so far (bounded), as DAP output event bodies. */
  output(): DebugProtocol.OutputEvent['body'][];
  onEvent(listener: (event: DebugEvent) => void): () => void;
  /**
   * Kills the debuggee's whole process group and frees the session; an attached program is detached from
   * instead (breakpoints removed, resumed), never killed. Safe to call twice.
   */
  terminate(): Promise<void>;
}

/** Variables shown per snapshot and characters per value: a snapshot must stay small enough for a prompt. */
export const snapshotLimits = { locals: 25, valueCharacters: 200, sourceContext: 3, outputLines: 20 };

/** Address space a debuggee may use unless `memoryLimitBytes` says otherwise: 2 GiB. */
export const defaultDebuggeeMemoryLimitBytes = 2 * 1024 ** 3;
