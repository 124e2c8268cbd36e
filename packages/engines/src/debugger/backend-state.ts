import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PlumbError } from '@plumb/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { snapshotLimits, type DebugEvent, type StateSnapshot, type StopResult } from './debug-backend.ts';

type Phase = 'idle' | 'running' | 'paused' | 'terminated';

/**
 * What every backend keeps the same way: the run phase and its errors, waiters for the next stop, captured
 * output and event listeners. The backends only translate their debugger's messages into calls on this.
 *
 * @example const state = new BackendState(); const next = state.nextStop(1_000); state.stopped(snapshot); await next;
 */
export class BackendState {
  phase: Phase = 'idle';
  snapshot: StateSnapshot | undefined;
  exitCode: number | null = null;
  private readonly outputs: DebugProtocol.OutputEvent['body'][] = [];
  private readonly lines: string[] = [];
  private readonly lastLineOpen: Record<string, boolean> = {};
  private readonly listeners = new Set<(event: DebugEvent) => void>();
  private waiters: ((result: StopResult) => void)[] = [];
  private sequence = 1;

  constructor(private readonly maxOutputEntries = 2_000) {}

  /** Throws unless the program is stopped (and alive). */
  assertPaused(operation: string): void {
    this.assertAlive(operation);
    if (this.phase !== 'paused') {
      throw new PlumbError(
        'conflict',
        `Cannot ${operation} while the program is running; pause it or wait for it to stop first.`,
      );
    }
  }

  assertAlive(operation: string): void {
    if (this.phase === 'terminated') {
      throw new PlumbError(
        'debug_session_terminated',
        `Cannot ${operation}: the debug session has terminated (exit code ${this.exitCode ?? 'none'}). Launch a new one.`,
      );
    }
    if (this.phase === 'idle') {
      throw new PlumbError(
        'conflict',
        `Cannot ${operation} before the program is launched; call launch first.`,
      );
    }
  }

  emit(body: Omit<DebugEvent, 'seq' | 'type'>): void {
    const event = { seq: this.sequence++, type: 'event', ...body } as DebugEvent;
    for (const listener of this.listeners) listener(event);
  }

  onEvent(listener: (event: DebugEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addOutput(category: 'stdout' | 'stderr' | 'console', output: string): void {
    // Unbuffered programs write a line in pieces; keep whole lines together for readers of the output.
    const last = this.outputs.at(-1);
    if (last && last.category === category && !last.output.endsWith('\n')) last.output += output;
    else this.outputs.push({ category, output });
    if (this.outputs.length > this.maxOutputEntries) this.outputs.shift();
    const continued = this.lastLineOpen[category] && this.lines.length > 0;
    const pieces = output.split('\n');
    if (continued) this.lines[this.lines.length - 1] += pieces.shift() ?? '';
    this.lines.push(...pieces.filter(Boolean));
    this.lastLineOpen[category] = !output.endsWith('\n');
    if (this.lines.length > snapshotLimits.outputLines)
      this.lines.splice(0, this.lines.length - snapshotLimits.outputLines);
    this.emit({ event: 'output', body: { category, output } });
  }

  output(): DebugProtocol.OutputEvent['body'][] {
    return [...this.outputs];
  }

  recentOutput(): string[] {
    return [...this.lines];
  }

  /** Registers interest in the next stop before the command that causes it is sent. */
  nextStop(waitMilliseconds = 5_000): Promise<StopResult> {
    return new Promise<StopResult>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== settle);
        resolve({ status: 'running' });
      }, waitMilliseconds);
      const settle = (result: StopResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      this.waiters.push(settle);
    });
  }

  /** `waitForStop` of every backend: the current stop, else the next one (or the end). */
  waitForStop(waitMilliseconds?: number): Promise<StopResult> {
    if (this.phase === 'idle') this.assertAlive('wait');
    return this.currentOrNextStop(waitMilliseconds);
  }

  /** `stackTrace` of every backend: the current snapshot's call stack as DAP frames (async ones as labels). */
  stackFrames(): DebugProtocol.StackFrame[] {
    this.assertPaused('read the stack');
    return (this.snapshot?.callStack ?? []).map((frame) => ({
      id: frame.id,
      name: frame.name,
      source: frame.file ? { path: frame.file, name: path.basename(frame.file) } : undefined,
      line: frame.line,
      column: frame.column,
      presentationHint: frame.isAsync === true ? 'label' : 'normal',
    }));
  }

  /** The current stop, the end, or the next of either. */
  currentOrNextStop(waitMilliseconds?: number): Promise<StopResult> {
    if (this.phase === 'paused' && this.snapshot)
      return Promise.resolve({ status: 'stopped', snapshot: this.snapshot });
    if (this.phase === 'terminated') return Promise.resolve(this.terminatedResult());
    return this.nextStop(waitMilliseconds);
  }

  stopped(snapshot: StateSnapshot): void {
    this.phase = 'paused';
    this.snapshot = snapshot;
    this.emit({
      event: 'stopped',
      body: {
        reason: snapshot.reason,
        threadId: 1,
        description: snapshot.description,
        allThreadsStopped: true,
      },
    });
    this.settle({ status: 'stopped', snapshot });
  }

  resumed(): void {
    this.phase = 'running';
    this.snapshot = undefined;
    this.emit({ event: 'continued', body: { threadId: 1, allThreadsContinued: true } });
  }

  terminated(exitCode: number | null): void {
    if (this.phase === 'terminated') return;
    this.phase = 'terminated';
    this.exitCode = exitCode;
    this.snapshot = undefined;
    this.emit({ event: 'terminated', body: {} });
    this.settle(this.terminatedResult());
  }

  terminatedResult(): StopResult {
    return { status: 'terminated', exitCode: this.exitCode, recentOutput: this.recentOutput() };
  }

  private settle(result: StopResult): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter(result);
  }
}

const sourceCache = new Map<string, { modified: number; lines: string[] }>();

/**
 * The lines around `line` (1-based) of `file`, for a snapshot; a file is read again only when it changes.
 *
 * @example sourceContext('/app/main.py', 10) // => { startLine: 7, lines: [...lines 7 to 13] }
 */
export function sourceContext(file: string, line: number): StateSnapshot['source'] {
  let modified = -1;
  try {
    modified = statSync(file).mtimeMs;
  } catch {
    // A file that is gone has no source to show.
  }
  let lines = sourceCache.get(file)?.modified === modified ? sourceCache.get(file)?.lines : undefined;
  if (!lines) {
    try {
      lines = readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    if (sourceCache.size > 200) sourceCache.clear();
    sourceCache.set(file, { modified, lines });
  }
  const startLine = Math.max(1, line - snapshotLimits.sourceContext);
  return { startLine, lines: lines.slice(startLine - 1, line + snapshotLimits.sourceContext) };
}

/**
 * Cuts a rendered value to the snapshot's size limit.
 *
 * @example truncateValue('x'.repeat(500)).length // => 200
 */
export function truncateValue(text: string, limit = snapshotLimits.valueCharacters): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
