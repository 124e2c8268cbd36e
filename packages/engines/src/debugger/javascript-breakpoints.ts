import { existsSync, readFileSync } from 'node:fs';
import type inspector from 'node:inspector';
import path from 'node:path';
import { PlumbError } from '@plumb/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AgentConnection } from './agent-socket-server.ts';
import { buildBreakpointCondition } from './build-breakpoint-condition.ts';
import type { JavaScriptScripts, ScriptRecord } from './javascript-scripts.ts';

interface BreakpointRecord {
  id: number;
  file: string;
  request: DebugProtocol.SourceBreakpoint;
  cdpIds: string[];
  boundLine?: number;
}

/**
 * Source breakpoints of one JavaScript session, by original file and line. Plain JavaScript binds by URL (V8
 * binds it when the file loads); TypeScript binds through the source map of each script compiled from the file,
 * so it waits for that script (the backend calls `bindPending` from V8's before-execution pause).
 *
 * @example const [breakpoint] = await breakpoints.set('/app/main.ts', [{ line: 4 }]); // => { line: 5, message: 'Line 4 has no code; ...' }
 */
export class JavaScriptBreakpoints {
  private readonly byFile = new Map<string, BreakpointRecord[]>();
  /** V8 breakpoint ids of load hooks, by file (see `addLoadHook`). */
  private readonly loadHooks = new Map<string, string>();
  private nextId = 1;

  constructor(
    private readonly connection: () => AgentConnection,
    private readonly scripts: JavaScriptScripts,
    private readonly changed: (breakpoint: DebugProtocol.Breakpoint) => void,
  ) {}

  async set(file: string, requests: DebugProtocol.SourceBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    const absolute = path.resolve(file);
    if (!existsSync(absolute)) {
      throw new PlumbError(
        'breakpoint_invalid',
        `No file ${absolute}; breakpoints need an existing source file.`,
      );
    }
    const lineCount = readFileSync(absolute, 'utf8').replace(/\n$/, '').split('\n').length;
    for (const request of requests) {
      if (!Number.isInteger(request.line) || request.line < 1 || request.line > lineCount) {
        throw new PlumbError(
          'breakpoint_invalid',
          `Line ${request.line} is outside ${absolute}, which has ${lineCount} lines; pick a line between 1 and ${lineCount}.`,
          { param: 'line' },
        );
      }
    }
    const records = requests.map((request) => ({ id: this.nextId++, file: absolute, request, cdpIds: [] }));
    // Conditions are checked before anything is removed, so a bad one leaves the old breakpoints in place.
    for (const record of records) buildBreakpointCondition(record.request, record.id);
    for (const old of this.byFile.get(absolute) ?? []) {
      for (const cdpId of old.cdpIds)
        await this.connection().send('Debugger.removeBreakpoint', { breakpointId: cdpId });
    }
    this.byFile.set(absolute, records);
    for (const record of records) await this.bind(record);
    return records.map(toDapBreakpoint);
  }

  /** Binds the breakpoints waiting for a script's source map (TypeScript files not loaded when they were set). */
  async bindPending(script: ScriptRecord): Promise<void> {
    for (const source of script.sourceMap?.sources ?? []) {
      for (const record of this.byFile.get(source) ?? []) {
        if (record.cdpIds.length > 0) continue;
        await this.bind(record);
        this.changed(toDapBreakpoint(record));
      }
    }
  }

  /**
   * Pauses the debuggee when `file` starts running, so its breakpoints can be bound through the source map
   * first. ES modules get this from V8's before-script instrumentation; CommonJS modules (tsx compiles a `.ts`
   * file outside a `"type": "module"` package, and every `.cts`, as CommonJS) are compiled as functions, which
   * that instrumentation never sees, so a URL breakpoint on their first generated line stands in for it.
   */
  async addLoadHook(file: string): Promise<void> {
    if (this.loadHooks.has(file)) return;
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const answer = await this.connection().send<inspector.Debugger.SetBreakpointByUrlReturnType>(
      'Debugger.setBreakpointByUrl',
      { urlRegex: `^(file://)?${escaped}$`, lineNumber: 0, columnNumber: 0 },
    );
    this.loadHooks.set(file, answer.breakpointId);
  }

  /** Whether a pause hit only load hooks; the hooks hit are removed (each module loads once). */
  async takeLoadHooks(cdpIds: string[] | undefined): Promise<boolean> {
    if (!cdpIds?.length) return false;
    const hooks = [...this.loadHooks.entries()].filter(([, id]) => cdpIds.includes(id));
    if (hooks.length === 0) return false;
    for (const [file, id] of hooks) {
      this.loadHooks.delete(file);
      await this.connection().send('Debugger.removeBreakpoint', { breakpointId: id });
    }
    return hooks.length === cdpIds.length;
  }

  /** Removes every breakpoint and load hook from V8 (detaching from a program that goes on running). */
  async clear(): Promise<void> {
    const cdpIds = [...this.all().flatMap((record) => record.cdpIds), ...this.loadHooks.values()];
    this.byFile.clear();
    this.loadHooks.clear();
    for (const breakpointId of cdpIds)
      await this.connection().send('Debugger.removeBreakpoint', { breakpointId });
  }

  /** A `Debugger.breakpointResolved` notification: a URL breakpoint found its script. */
  resolved(breakpointId: string, location: inspector.Debugger.Location): void {
    const record = this.all().find((candidate) => candidate.cdpIds.includes(breakpointId));
    if (!record) return;
    record.boundLine = this.scripts.originalPosition(location)?.line ?? location.lineNumber + 1;
    this.changed(toDapBreakpoint(record));
  }

  /** Our breakpoint ids for the V8 breakpoint ids of a pause. */
  idsOf(cdpIds: string[] | undefined): number[] | undefined {
    if (!cdpIds?.length) return undefined;
    return this.all()
      .filter((record) => record.cdpIds.some((id) => cdpIds.includes(id)))
      .map((record) => record.id);
  }

  private all(): BreakpointRecord[] {
    return [...this.byFile.values()].flat();
  }

  private async bind(record: BreakpointRecord): Promise<void> {
    const condition = buildBreakpointCondition(record.request, record.id);
    const mapped = this.scripts.mappedFrom(record.file);
    for (const [scriptId, script] of mapped) {
      const target = script.sourceMap?.toGenerated(record.file, record.request.line);
      if (!target) continue;
      const answer = await this.connection().send<inspector.Debugger.SetBreakpointReturnType>(
        'Debugger.setBreakpoint',
        {
          location: { scriptId, lineNumber: target.position.line, columnNumber: target.position.column },
          condition,
        },
      );
      record.cdpIds.push(answer.breakpointId);
      record.boundLine = this.scripts.originalPosition(answer.actualLocation)?.line ?? target.line;
    }
    if (mapped.length > 0) return;
    if (/\.[cm]?tsx?$/.test(record.file)) {
      await this.addLoadHook(record.file);
      return;
    }
    const escaped = record.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const answer = await this.connection().send<inspector.Debugger.SetBreakpointByUrlReturnType>(
      'Debugger.setBreakpointByUrl',
      { urlRegex: `^(file://)?${escaped}$`, lineNumber: record.request.line - 1, condition },
    );
    record.cdpIds.push(answer.breakpointId);
    const location = answer.locations[0];
    if (location) record.boundLine = location.lineNumber + 1;
  }
}

function toDapBreakpoint(record: BreakpointRecord): DebugProtocol.Breakpoint {
  const moved = record.boundLine !== undefined && record.boundLine !== record.request.line;
  return {
    id: record.id,
    verified: record.boundLine !== undefined,
    line: record.boundLine ?? record.request.line,
    source: { path: record.file },
    message: moved
      ? `Line ${record.request.line} has no code; the breakpoint moved to line ${record.boundLine}, the nearest executable line after it.`
      : record.boundLine === undefined
        ? 'Pending: bound when the file is loaded.'
        : undefined,
  };
}
