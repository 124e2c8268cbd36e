import { existsSync, readFileSync } from 'node:fs';
import type inspector from 'node:inspector';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlumbError } from '@plumb/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { spawnSandboxed, type SandboxedProcess } from '../sandbox/spawn-sandboxed.ts';
import { listenForAgent, type AgentConnection, type AgentSocketServer } from './agent-socket-server.ts';
import { BackendState, sourceContext, truncateValue } from './backend-state.ts';
import {
  snapshotLimits,
  type DebugBackend,
  type EvaluateResult,
  type ExceptionFilter,
  type LaunchOptions,
  type StateSnapshot,
  type StopResult,
  type VariableSummary,
} from './debug-backend.ts';
import { describeRemoteObject, isExpandable } from './describe-remote-object.ts';
import { buildBreakpointCondition } from './build-breakpoint-condition.ts';
import { isInsideTryBlock } from './is-inside-try-block.ts';
import { parseSourceMap, type ParsedSourceMap } from './parse-source-map.ts';

type CallFrame = inspector.Debugger.CallFrame;
type RemoteObject = inspector.Runtime.RemoteObject;
type PausedEvent = inspector.Debugger.PausedEventDataType;

const tsxLoader = import.meta.resolve('tsx');
const agentUrl = new URL('./javascript-debug-agent.ts', import.meta.url).href;
const agentFile = fileURLToPath(agentUrl);

interface ScriptRecord {
  file: string;
  sourceMap?: ParsedSourceMap;
}

interface BreakpointRecord {
  id: number;
  file: string;
  request: DebugProtocol.SourceBreakpoint;
  cdpIds: string[];
  boundLine?: number;
}

type Handle =
  | { kind: 'object'; objectId: string }
  | { kind: 'scope'; objectId: string; frameIndex: number; scopeNumber: number };

function evaluationTimeout(expression: string, timeout: number): PlumbError {
  return new PlumbError(
    'evaluation_timeout',
    `Evaluating ${JSON.stringify(expression)} took longer than ${timeout} ms and was interrupted; the program is still paused. Raise timeoutMilliseconds or evaluate something cheaper.`,
  );
}

/** The frames of the awaiting callers, outermost last. */
function asyncLocations(event: PausedEvent): inspector.Runtime.CallFrame[] {
  const frames: inspector.Runtime.CallFrame[] = [];
  for (let parent = event.asyncStackTrace; parent && frames.length < 100; parent = parent.parent)
    frames.push(...parent.callFrames);
  return frames;
}

/** Whether a script URL is the user's code rather than Node's, a dependency's, or the agent's. */
function fileOfUrl(url: string): string | undefined {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (url.startsWith('/')) return url;
  return undefined;
}

function isUserFile(file: string | undefined): file is string {
  return file !== undefined && !file.includes('/node_modules/') && file !== agentFile;
}

/**
 * A JavaScript/TypeScript debug backend: the program runs with an in-process agent (`node --import tsx
 * --import javascript-debug-agent.ts`) that relays the V8 inspector over a Unix socket, inside the sandbox.
 * TypeScript positions go through tsx's inline source maps both ways.
 *
 * @example
 * const backend = createJavaScriptDebugBackend();
 * const stop = await backend.launch({ program: '/app/main.ts', breakpoints: { '/app/main.ts': [{ line: 4 }] } });
 * await backend.terminate();
 */
export function createJavaScriptDebugBackend(): DebugBackend {
  const state = new BackendState();
  const scripts = new Map<string, ScriptRecord>();
  const breakpoints = new Map<string, BreakpointRecord[]>();
  const handles = new Map<number, Handle>();
  let nextBreakpointId = 1;
  let nextHandle = 1;
  let sandbox: SandboxedProcess | undefined;
  let server: AgentSocketServer | undefined;
  let connection: AgentConnection | undefined;
  let paused: PausedEvent | undefined;
  let userFrames: { frame: CallFrame; index: number }[] = [];
  let exceptionFilters: ExceptionFilter[] = [];
  let entryPending: string | undefined;
  let entryBreakpointId: string | undefined;
  let expectedReason: 'step' | 'pause' | undefined;
  const failedToParse: string[] = [];

  const send = <TResult>(method: string, params?: object): Promise<TResult> => {
    if (!connection) throw new PlumbError('conflict', 'The program is not launched; call launch first.');
    return connection.send<TResult>(method, params);
  };

  const handleFor = (handle: Handle): number => {
    const reference = nextHandle++;
    handles.set(reference, handle);
    return reference;
  };

  const originalPosition = (location: inspector.Debugger.Location) => {
    const script = scripts.get(location.scriptId);
    if (!script) return undefined;
    if (!script.sourceMap) {
      return { file: script.file, line: location.lineNumber + 1, column: (location.columnNumber ?? 0) + 1 };
    }
    const original = script.sourceMap.toOriginal({
      line: location.lineNumber,
      column: location.columnNumber ?? 0,
    });
    return original && { file: original.file, line: original.line, column: original.column + 1 };
  };

  const bindBreakpoint = async (record: BreakpointRecord): Promise<void> => {
    const condition = buildBreakpointCondition(record.request, record.id);
    const mapped = [...scripts.entries()].filter(([, script]) =>
      script.sourceMap?.sources.includes(record.file),
    );
    if (mapped.length > 0) {
      for (const [scriptId, script] of mapped) {
        const target = script.sourceMap?.toGenerated(record.file, record.request.line);
        if (!target) continue;
        const answer = await send<inspector.Debugger.SetBreakpointReturnType>('Debugger.setBreakpoint', {
          location: { scriptId, lineNumber: target.position.line, columnNumber: target.position.column },
          condition,
        });
        record.cdpIds.push(answer.breakpointId);
        record.boundLine = originalPosition(answer.actualLocation)?.line ?? target.line;
      }
      return;
    }
    if (/\.[cm]?tsx?$/.test(record.file)) return; // bound when its source map arrives
    const escaped = record.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const answer = await send<inspector.Debugger.SetBreakpointByUrlReturnType>(
      'Debugger.setBreakpointByUrl',
      {
        urlRegex: `^(file://)?${escaped}$`,
        lineNumber: record.request.line - 1,
        condition,
      },
    );
    record.cdpIds.push(answer.breakpointId);
    const location = answer.locations[0];
    if (location) record.boundLine = location.lineNumber + 1;
  };

  const toDapBreakpoint = (record: BreakpointRecord): DebugProtocol.Breakpoint => {
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
  };

  const setBreakpoints = async (file: string, requests: DebugProtocol.SourceBreakpoint[]) => {
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
    for (const old of breakpoints.get(absolute) ?? []) {
      for (const cdpId of old.cdpIds) await send('Debugger.removeBreakpoint', { breakpointId: cdpId });
    }
    const records = requests.map((request) => ({
      id: nextBreakpointId++,
      file: absolute,
      request,
      cdpIds: [],
    }));
    breakpoints.set(absolute, records);
    for (const record of records) await bindBreakpoint(record);
    return records.map(toDapBreakpoint);
  };

  const bindPendingFor = async (script: ScriptRecord) => {
    for (const source of script.sourceMap?.sources ?? []) {
      for (const record of breakpoints.get(source) ?? []) {
        if (record.cdpIds.length > 0) continue;
        await bindBreakpoint(record);
        state.emit({ event: 'breakpoint', body: { reason: 'changed', breakpoint: toDapBreakpoint(record) } });
      }
    }
  };

  const summarizeScope = async (
    objectId: string,
  ): Promise<{ variables: VariableSummary[]; truncated: boolean }> => {
    const { result } = await send<inspector.Runtime.GetPropertiesReturnType>('Runtime.getProperties', {
      objectId,
      ownProperties: true,
      generatePreview: true,
    });
    const variables = result
      .filter((property) => property.value !== undefined)
      .map((property) => toVariable(property.name, property.value as RemoteObject));
    return {
      variables: variables.slice(0, snapshotLimits.locals),
      truncated: variables.length > snapshotLimits.locals,
    };
  };

  const toVariable = (name: string, value: RemoteObject): DebugProtocol.Variable => ({
    name,
    value: describeRemoteObject(value),
    type: value.className ?? value.type,
    variablesReference:
      isExpandable(value) && value.objectId ? handleFor({ kind: 'object', objectId: value.objectId }) : 0,
  });

  const frameName = (frame: CallFrame) => frame.functionName || '<module>';

  const buildSnapshot = async (
    event: PausedEvent,
    reason: StateSnapshot['reason'],
  ): Promise<StateSnapshot> => {
    const top = userFrames[0];
    const position = top && originalPosition(top.frame.location);
    const localScopes = (top?.frame.scopeChain ?? []).filter(
      (scope) => scope.type === 'local' || scope.type === 'block',
    );
    const summaries = await Promise.all(
      localScopes.map((scope) =>
        scope.object.objectId ? summarizeScope(scope.object.objectId) : Promise.resolve(undefined),
      ),
    );
    const locals = summaries.flatMap((summary) => summary?.variables ?? []);
    if (top?.frame.this.type === 'object' && top.frame.this.objectId && reason !== 'entry') {
      locals.push(toVariable('this', top.frame.this));
    }
    const callStack: StateSnapshot['callStack'] = userFrames.map(({ frame, index }) => {
      const where = originalPosition(frame.location);
      return {
        id: index,
        name: frameName(frame),
        file: where?.file,
        line: where?.line ?? 0,
        column: where?.column ?? 0,
      };
    });
    for (const frame of asyncLocations(event).slice(0, 50)) {
      const where = originalPosition({
        scriptId: frame.scriptId,
        lineNumber: frame.lineNumber,
        columnNumber: frame.columnNumber,
      });
      if (!where || !isUserFile(where.file)) continue;
      callStack.push({
        id: -1,
        name: frame.functionName || '<anonymous>',
        file: where.file,
        line: where.line,
        column: where.column,
        isAsync: true,
      });
    }
    const exceptionObject =
      event.reason === 'exception' || event.reason === 'promiseRejection'
        ? (event.data as RemoteObject | undefined)
        : undefined;
    const exceptionText = exceptionObject?.description?.split('\n')[0];
    return {
      reason,
      description: exceptionText,
      exception: exceptionObject
        ? {
            type: exceptionObject.className ?? 'Error',
            message: exceptionText?.replace(/^[\w$]+(\s\[\w+\])?:\s*/, '') ?? '',
          }
        : undefined,
      location: {
        file: position?.file ?? '',
        line: position?.line ?? 0,
        column: position?.column ?? 0,
        function: top ? frameName(top.frame) : '',
      },
      source: position ? sourceContext(position.file, position.line) : { startLine: 1, lines: [] },
      locals: locals.slice(0, snapshotLimits.locals),
      localsTruncated:
        locals.length > snapshotLimits.locals || summaries.some((summary) => summary?.truncated),
      callStack,
      recentOutput: state.recentOutput(),
      hitBreakpointIds: event.hitBreakpoints?.length
        ? [...breakpoints.values()]
            .flat()
            .filter((record) => record.cdpIds.some((id) => event.hitBreakpoints?.includes(id)))
            .map((record) => record.id)
        : undefined,
    };
  };

  const resume = async () => {
    handles.clear();
    paused = undefined;
    await send('Debugger.resume');
  };

  const caughtByUserCode = (event: PausedEvent): boolean => {
    const locations = [
      ...userFrames.map(({ frame }) => frame.location),
      ...asyncLocations(event).map((frame) => ({
        scriptId: frame.scriptId,
        lineNumber: frame.lineNumber,
        columnNumber: frame.columnNumber,
      })),
    ];
    return locations.some((location) => {
      const position = originalPosition(location);
      return (
        position !== undefined &&
        isUserFile(position.file) &&
        isInsideTryBlock(position.file, position.line, position.column)
      );
    });
  };

  const onPaused = async (event: PausedEvent) => {
    paused = event;
    userFrames = event.callFrames
      .map((frame, index) => ({ frame, index }))
      .filter(({ frame }) => isUserFile(scripts.get(frame.location.scriptId)?.file));
    if (event.reason === 'instrumentation') {
      const data: { scriptId?: string } | undefined = event.data;
      const scriptId = data?.scriptId ?? '';
      const script = scripts.get(scriptId);
      if (script) await bindPendingFor(script);
      const isEntry =
        script !== undefined &&
        entryPending !== undefined &&
        (script.file === entryPending || script.sourceMap?.sources.includes(entryPending));
      if (isEntry && script) {
        entryPending = undefined;
        await send('Debugger.removeBreakpoint', {
          breakpointId: 'instrumentation:beforeScriptExecution',
        }).catch(() => undefined);
        // Stop at the program's first statement (mapped for .ts), not before its module wrapper.
        const first = script.sourceMap?.toGenerated(script.sourceMap.sources[0] ?? '', 1)?.position ?? {
          line: 0,
          column: 0,
        };
        const answer = await send<inspector.Debugger.SetBreakpointReturnType>('Debugger.setBreakpoint', {
          location: { scriptId, lineNumber: first.line, columnNumber: first.column },
        });
        entryBreakpointId = answer.breakpointId;
      }
      return resume();
    }
    if (entryBreakpointId && event.hitBreakpoints?.includes(entryBreakpointId)) {
      await send('Debugger.removeBreakpoint', { breakpointId: entryBreakpointId });
      entryBreakpointId = undefined;
      expectedReason = undefined;
      state.stopped(await buildSnapshot(event, 'entry'));
      return;
    }
    let reason: StateSnapshot['reason'] = expectedReason ?? 'breakpoint';
    if (event.reason === 'exception' || event.reason === 'promiseRejection') {
      const data = event.data as (RemoteObject & { uncaught?: boolean }) | undefined;
      const isAssertion =
        data?.className === 'AssertionError' || /^AssertionError/.test(data?.description ?? '');
      const topIsUser = userFrames[0]?.index === 0;
      const uncaught =
        data?.uncaught === true ||
        ((topIsUser || isAssertion) && userFrames.length > 0 && !caughtByUserCode(event));
      const wanted =
        (uncaught && exceptionFilters.includes('uncaught')) ||
        (isAssertion && exceptionFilters.includes('assertion')) ||
        (topIsUser && exceptionFilters.includes('all'));
      if (!wanted || userFrames.length === 0) return resume();
      reason = 'exception';
    } else if (userFrames[0]?.index !== 0 && !event.hitBreakpoints?.length) {
      // A step into library code, or a pause inside Node: keep going until user code.
      if (userFrames.length === 0 && expectedReason === 'pause') return send('Debugger.stepInto');
      return send('Debugger.stepOut');
    } else if (event.hitBreakpoints?.length) {
      reason = 'breakpoint';
    }
    expectedReason = undefined;
    state.stopped(await buildSnapshot(event, reason));
  };

  const onNotification = (method: string, params: Record<string, unknown>) => {
    if (method === 'Debugger.scriptParsed') {
      const { scriptId, url, sourceMapURL } =
        params as unknown as inspector.Debugger.ScriptParsedEventDataType;
      const file = fileOfUrl(url);
      if (!file) return;
      const sourceMap = sourceMapURL?.startsWith('data:') ? parseSourceMap(sourceMapURL) : undefined;
      scripts.set(scriptId, { file, sourceMap });
    } else if (method === 'Debugger.scriptFailedToParse') {
      const { url } = params as unknown as inspector.Debugger.ScriptFailedToParseEventDataType;
      if (url) failedToParse.push(url);
    } else if (method === 'Debugger.paused') {
      onPaused(params as unknown as PausedEvent).catch((error: unknown) => {
        if (!connection?.closed) state.addOutput('console', `plumb: ${String(error)}\n`);
      });
    } else if (method === 'Debugger.resumed') {
      if (state.phase === 'paused') state.resumed();
    } else if (method === 'Debugger.breakpointResolved') {
      const { breakpointId, location } =
        params as unknown as inspector.Debugger.BreakpointResolvedEventDataType;
      const record = [...breakpoints.values()]
        .flat()
        .find((candidate) => candidate.cdpIds.includes(breakpointId));
      if (record) {
        record.boundLine = originalPosition(location)?.line ?? location.lineNumber + 1;
        state.emit({ event: 'breakpoint', body: { reason: 'changed', breakpoint: toDapBreakpoint(record) } });
      }
    } else if (method === 'Runtime.consoleAPICalled') {
      const { args } = params as unknown as inspector.Runtime.ConsoleAPICalledEventDataType;
      if (args[0]?.value === '\u0000plumb-logpoint')
        state.addOutput('console', `${String(args[1]?.value)}\n`);
    }
  };

  const applyExceptionFilters = async (filters: ExceptionFilter[]) => {
    exceptionFilters = filters;
    // 'all' even for 'uncaught': V8 counts an ES module's top-level throw as caught by the module's promise.
    await send('Debugger.setPauseOnExceptions', { state: filters.length > 0 ? 'all' : 'none' });
  };

  const resumeWith = async (
    method: string,
    reason: 'step' | undefined,
    waitMilliseconds?: number,
  ): Promise<StopResult> => {
    state.assertPaused(method === 'Debugger.resume' ? 'continue' : 'step');
    expectedReason = reason;
    const stop = state.nextStop(waitMilliseconds);
    handles.clear();
    paused = undefined;
    await send(method);
    return stop;
  };

  const frameById = (frameId: number | undefined): CallFrame => {
    const frame = frameId === undefined ? userFrames[0]?.frame : paused?.callFrames[frameId];
    if (!frame)
      throw new PlumbError('invalid_request', `No frame ${frameId}; use an id from the stack trace.`, {
        param: 'frameId',
      });
    return frame;
  };

  const evaluateOnFrame = async (expression: string, frame: CallFrame, timeout: number) => {
    const answer = await send<inspector.Debugger.EvaluateOnCallFrameReturnType>(
      'Debugger.evaluateOnCallFrame',
      {
        callFrameId: frame.callFrameId,
        expression,
        generatePreview: true,
        timeout,
      },
    ).catch((error: unknown) => {
      if (/Execution was terminated/i.test(String(error))) throw evaluationTimeout(expression, timeout);
      throw new PlumbError(
        'invalid_request',
        `Could not evaluate ${JSON.stringify(expression)}: ${String(error)}`,
      );
    });
    if (answer.exceptionDetails) {
      const text = answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text;
      if (/Execution was terminated/i.test(text) || /terminated/i.test(answer.exceptionDetails.text)) {
        throw evaluationTimeout(expression, timeout);
      }
      throw new PlumbError(
        'invalid_request',
        `Evaluating ${JSON.stringify(expression)} threw: ${truncateValue(text.split('\n')[0] ?? text)}`,
      );
    }
    return answer.result;
  };

  const toEvaluateResult = (value: RemoteObject): EvaluateResult => {
    const variable = toVariable('', value);
    return { result: variable.value, type: variable.type, variablesReference: variable.variablesReference };
  };

  return {
    language: 'javascript',

    async launch(options: LaunchOptions): Promise<StopResult> {
      if (state.phase !== 'idle')
        throw new PlumbError('conflict', 'This backend already launched a program; create a new one.');
      const cwd = path.resolve(options.cwd ?? path.dirname(path.resolve(options.program)));
      const program = path.resolve(cwd, options.program);
      if (!existsSync(program)) {
        throw new PlumbError(
          'program_not_found',
          `No program at ${program}; pass the path of an existing .js or .ts file.`,
          { param: 'program' },
        );
      }
      server = await listenForAgent();
      sandbox = spawnSandboxed({
        command: process.execPath,
        args: ['--import', tsxLoader, '--import', agentUrl, program, ...(options.args ?? [])],
        environment: { ...options.environment, PLUMB_DEBUG_SOCKET: server.socketPath, PLUMB_DEBUG_CWD: cwd },
        readablePaths: [path.dirname(program), cwd, ...(options.readablePaths ?? [])],
        writablePaths: [server.directory],
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const child = sandbox.child;
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => state.addOutput('stdout', chunk));
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => state.addOutput('stderr', chunk));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // 'close' rather than 'exit': the end is announced after the last output has arrived.
      child.once('close', (code) => {
        state.terminated(code);
        server?.close();
      });
      const connected = await Promise.race([server.connection, exited.then(() => undefined)]);
      if (!connected) {
        await new Promise((resolve) => setImmediate(resolve));
        throw new PlumbError(
          'internal_error',
          `The program ended before the debugger could attach: ${state.recentOutput().join('\n')}`,
        );
      }
      connection = connected;
      connection.onNotification(onNotification);
      state.phase = 'running';
      entryPending = options.stopOnEntry ? program : undefined;
      await send('Runtime.enable');
      await send('Debugger.enable', { maxScriptsCacheSize: 10_000_000 });
      await send('Debugger.setAsyncCallStackDepth', { maxDepth: 16 });
      // No blackboxing: V8 does not pause on exceptions thrown in blackboxed code, and assertion libraries
      // (node:assert, expect in node_modules) throw from there. Steps leave library code by hand instead.
      await applyExceptionFilters(options.exceptionFilters ?? []);
      // V8 stops before each script with a source map runs, so .ts breakpoints are bound before their code runs.
      await send('Debugger.setInstrumentationBreakpoint', {
        instrumentation: 'beforeScriptWithSourceMapExecution',
      });
      if (options.stopOnEntry)
        await send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' });
      for (const [file, requests] of Object.entries(options.breakpoints ?? {}))
        await setBreakpoints(file, requests);
      const stop = state.nextStop(options.waitMilliseconds);
      await send('Plumb.run');
      const result = await stop;
      if (result.status === 'terminated' && result.exitCode !== 0) {
        const text = state
          .output()
          .filter((entry) => entry.category === 'stderr')
          .map((entry) => entry.output)
          .join('');
        if (failedToParse.length > 0 || /SyntaxError|TransformError|Transform failed/.test(text)) {
          throw new PlumbError(
            'source_syntax_error',
            `The program does not parse; fix the syntax error and launch again:\n${truncateValue(text.trim(), 2_000)}`,
          );
        }
      }
      return result;
    },

    setBreakpoints: async (file, requests) => {
      state.assertAlive('set breakpoints');
      return setBreakpoints(file, requests);
    },

    async setExceptionBreakpoints(filters) {
      state.assertAlive('set exception breakpoints');
      await applyExceptionFilters(filters);
    },

    continue: (options) => resumeWith('Debugger.resume', undefined, options?.waitMilliseconds),
    stepOver: (options) => resumeWith('Debugger.stepOver', 'step', options?.waitMilliseconds),
    stepIn: (options) => resumeWith('Debugger.stepInto', 'step', options?.waitMilliseconds),
    stepOut: (options) => resumeWith('Debugger.stepOut', 'step', options?.waitMilliseconds),

    async pause(options) {
      state.assertAlive('pause');
      if (state.phase === 'paused') return state.currentOrNextStop();
      expectedReason = 'pause';
      const stop = state.nextStop(options?.waitMilliseconds);
      await send('Debugger.pause');
      return stop;
    },

    async waitForStop(options) {
      if (state.phase === 'idle') state.assertAlive('wait');
      return state.currentOrNextStop(options?.waitMilliseconds);
    },

    async stackTrace() {
      state.assertPaused('read the stack');
      return (state.snapshot?.callStack ?? []).map((frame) => ({
        id: frame.id,
        name: frame.name,
        source: frame.file ? { path: frame.file, name: path.basename(frame.file) } : undefined,
        line: frame.line,
        column: frame.column,
        presentationHint: frame.isAsync ? 'label' : 'normal',
      }));
    },

    async scopes(frameId) {
      state.assertPaused('read scopes');
      const frame = frameById(frameId);
      return frame.scopeChain.flatMap((scope, scopeNumber) =>
        scope.object.objectId
          ? [
              {
                name: scope.type === 'local' ? 'Locals' : scope.type[0]?.toUpperCase() + scope.type.slice(1),
                presentationHint: scope.type === 'local' ? 'locals' : undefined,
                variablesReference: handleFor({
                  kind: 'scope',
                  objectId: scope.object.objectId,
                  frameIndex: frameId,
                  scopeNumber,
                }),
                expensive: scope.type === 'global',
              },
            ]
          : [],
      );
    },

    async variables({ variablesReference, start = 0, count = 100 }) {
      state.assertPaused('read variables');
      const handle = handles.get(variablesReference);
      if (!handle)
        throw new PlumbError(
          'invalid_request',
          `No variables reference ${variablesReference} at this stop; references expire when the program resumes.`,
          { param: 'variablesReference' },
        );
      const answer = await send<inspector.Runtime.GetPropertiesReturnType>('Runtime.getProperties', {
        objectId: handle.objectId,
        ownProperties: true,
        generatePreview: true,
      });
      const named = answer.result.filter(
        (property) => property.value !== undefined && property.name !== '__proto__',
      );
      const internal = (answer.internalProperties ?? []).filter((property) => property.value !== undefined);
      const all = [
        ...named.map((p) => toVariable(p.name, p.value as RemoteObject)),
        ...internal.map((p) =>
          toVariable(`[[${p.name.replace(/^\[\[|\]\]$/g, '')}]]`, p.value as RemoteObject),
        ),
      ];
      return all.slice(start, start + Math.min(count, 100));
    },

    async evaluate({ expression, frameId, timeoutMilliseconds = 2_000 }) {
      state.assertPaused('evaluate');
      return toEvaluateResult(await evaluateOnFrame(expression, frameById(frameId), timeoutMilliseconds));
    },

    async setVariable({ variablesReference, name, value }) {
      state.assertPaused('set a variable');
      const handle = handles.get(variablesReference);
      if (!handle)
        throw new PlumbError(
          'invalid_request',
          `No variables reference ${variablesReference} at this stop.`,
          { param: 'variablesReference' },
        );
      const frame = handle.kind === 'scope' ? frameById(handle.frameIndex) : frameById(undefined);
      const newValue = await evaluateOnFrame(value, frame, 2_000);
      const argument = newValue.objectId
        ? { objectId: newValue.objectId }
        : newValue.unserializableValue
          ? { unserializableValue: newValue.unserializableValue }
          : { value: newValue.value as unknown };
      if (handle.kind === 'scope') {
        // Block scopes come first in the chain; a name shown there may live in an enclosing scope.
        const order = [
          handle.scopeNumber,
          ...frame.scopeChain.map((_, index) => index).filter((index) => index > handle.scopeNumber),
        ];
        let lastError: unknown;
        for (const scopeNumber of order) {
          const scope = frame.scopeChain[scopeNumber];
          if (!scope?.object.objectId || scope.type === 'global') continue;
          const { result } = await send<inspector.Runtime.GetPropertiesReturnType>('Runtime.getProperties', {
            objectId: scope.object.objectId,
            ownProperties: true,
          });
          if (!result.some((property) => property.name === name)) continue;
          try {
            await send('Debugger.setVariableValue', {
              scopeNumber,
              variableName: name,
              newValue: argument,
              callFrameId: frame.callFrameId,
            });
            return toEvaluateResult(newValue);
          } catch (error) {
            lastError = error;
          }
        }
        throw new PlumbError(
          'invalid_request',
          `Cannot set ${name} in this frame${lastError instanceof Error ? `: ${lastError.message}` : '; it is not one of its variables'}.`,
          { param: 'name' },
        );
      } else {
        await send('Runtime.callFunctionOn', {
          objectId: handle.objectId,
          functionDeclaration: 'function (name, value) { this[name] = value; }',
          arguments: [{ value: name }, argument],
        });
      }
      return toEvaluateResult(newValue);
    },

    output: () => state.output(),
    onEvent: (listener) => state.onEvent(listener),

    async terminate() {
      if (state.phase === 'terminated' && !sandbox) return;
      sandbox?.dispose();
      sandbox = undefined;
      server?.close();
      state.terminated(null);
    },
  };
}
