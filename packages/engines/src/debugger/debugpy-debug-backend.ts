import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PlumbError } from '@plumb/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { resolvePythonInterpreter } from '../languages/python/resolve-python-interpreter.ts';
import { spawnSandboxed, type SandboxedProcess } from '../sandbox/spawn-sandboxed.ts';
import { BackendState, sourceContext, truncateValue } from './backend-state.ts';
import { resolvePythonProgram } from './resolve-python-program.ts';
import { refusePythonAttach } from './refuse-python-attach.ts';
import { DapClient, DapRequestError } from './dap-client.ts';
import {
  defaultDebuggeeMemoryLimitBytes,
  snapshotLimits,
  type DebugBackend,
  type EvaluateResult,
  type ExceptionFilter,
  type LaunchOptions,
  type StateSnapshot,
  type StopResult,
  type VariableSummary,
} from './debug-backend.ts';

const siteCustomizeDirectory = fileURLToPath(new URL('./debugpy-sitecustomize', import.meta.url));

export interface DebugpyDebugBackendOptions {
  /** The interpreter, which must be able to `import debugpy`; default `resolvePythonInterpreter()`. */
  python?: string;
}

/**
 * Run in the sandbox before a launch and for each file that gets breakpoints: is debugpy importable, does the
 * file compile, and which lines hold code (a breakpoint on a blank line moves to the next of them, as in the
 * bdb backend; pydevd itself would leave it unverified).
 */
const inspectScript = `
import json, sys
result = {}
if sys.argv[1] == "launch":
    try:
        import debugpy
        result["debugpy"] = debugpy.__version__
    except Exception as error:
        result["debugpyError"] = f"{type(error).__name__}: {error}"
filename = sys.argv[2]
try:
    with open(filename, encoding="utf-8") as source:
        text = source.read()
    code = compile(text, filename, "exec")
except SyntaxError as error:
    import traceback
    result["syntaxError"] = "".join(traceback.format_exception_only(type(error), error))
else:
    lines, stack = set(), [code]
    while stack:
        current = stack.pop()
        lines.update(line for _, _, line in current.co_lines() if line)
        stack.extend(constant for constant in current.co_consts if hasattr(constant, "co_lines"))
    result["lines"] = sorted(lines)
    result["lineCount"] = len(text.rstrip("\\n").split("\\n"))
print(json.dumps(result))
`;

interface InspectResult {
  debugpy?: string;
  debugpyError?: string;
  syntaxError?: string;
  lines?: number[];
  lineCount?: number;
}

/**
 * pydevd writes a logpoint's message as a `stdout` output event, like the program's own output; this prefix
 * tells them apart so logpoints can be reported as `console` output as the other backends do.
 */
const logpointMarker = '\u2063plumb-logpoint\u2063';

/** debugpy's variable groups and pseudo-entries that a snapshot leaves out. */
const hiddenVariableNames = new Set([
  'special variables',
  'function variables',
  'class variables',
  'protected variables',
  'len()',
]);

/** Stop reasons debugpy sends, in the snapshot's vocabulary. */
const stopReasons: Record<string, StateSnapshot['reason']> = {
  entry: 'entry',
  breakpoint: 'breakpoint',
  'function breakpoint': 'breakpoint',
  step: 'step',
  pause: 'pause',
  exception: 'exception',
  goto: 'goto',
};

/**
 * A Python debug backend on debugpy (pydevd) for programs that need what `bdb` cannot give: threads,
 * subprocesses, `justMyCode`. Chosen explicitly; the bdb backend stays the default because a step costs far
 * less there.
 *
 * Why the adapter runs over stdio, inside the sandbox: the sandbox cuts the network (bubblewrap's
 * `--unshare-net`, or `unshare -Urn`), so nothing outside can reach a debuggee listening on 127.0.0.1, and
 * opening the network would give up the isolation. `python -m debugpy.adapter` without `--port` speaks DAP on
 * its stdin and stdout, and its own TCP connections to the launcher and the debuggee stay on the sandbox's
 * loopback. So the session is `initialize` -> `launch` (the adapter starts the program: `stopOnEntry` works
 * natively, no emulation needed) -> `initialized` -> breakpoints -> `configurationDone`.
 *
 * @example
 * const backend = createDebugpyDebugBackend();
 * const stop = await backend.launch({ program: '/app/worker.py', stopOnEntry: true });
 * await backend.terminate();
 */
export function createDebugpyDebugBackend(options: DebugpyDebugBackendOptions = {}): DebugBackend {
  const state = new BackendState();
  const python = () => resolvePythonInterpreter(options.python);
  let sandbox: SandboxedProcess | undefined;
  let client: DapClient | undefined;
  let exitCode: number | null = null;
  let stoppedThreadId = 0;
  /** Snapshot frame ids (0 = top) to debugpy's frame ids, for the current stop. */
  let frameIds: number[] = [];
  /** The evaluation interrupt timeout pydevd has now, in seconds (set through the environment at launch). */
  let interruptSeconds = 2;
  const readable = new Set<string>();
  const inspected = new Map<string, { modified: number; result: InspectResult }>();

  const inspect = async (mode: 'launch' | 'lines', file: string): Promise<InspectResult> => {
    const modified = statSync(file).mtimeMs;
    const cached = inspected.get(file);
    if (mode === 'lines' && cached?.modified === modified) return cached.result;
    const checker = spawnSandboxed({
      command: python(),
      args: ['-X', 'utf8', '-c', inspectScript, mode, file],
      environment: { PYTHONDONTWRITEBYTECODE: '1' },
      readablePaths: [path.dirname(file), ...readable],
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    checker.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    checker.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      checker.child.once('error', () => resolve(null));
      checker.child.once('close', (exit) => resolve(exit));
    });
    checker.dispose();
    if (code !== 0) {
      throw new PlumbError(
        'interpreter_not_found',
        `Could not run the Python interpreter ${python()}: ${truncateValue(stderr.trim(), 1_000) || 'it did not start'}. Set PLUMB_PYTHON to a Python 3.10+ interpreter with debugpy installed.`,
      );
    }
    const result = JSON.parse(stdout) as InspectResult;
    inspected.set(file, { modified, result });
    return result;
  };

  /** Moves each breakpoint to the first line with code at or after it, or rejects it like the bdb backend. */
  const bindBreakpoints = async (file: string, breakpoints: DebugProtocol.SourceBreakpoint[]) => {
    if (!existsSync(file)) {
      throw new PlumbError(
        'breakpoint_invalid',
        `No file ${file}; breakpoints need an existing source file.`,
      );
    }
    const { lines = [], lineCount = 0, syntaxError } = await inspect('lines', file);
    if (syntaxError) {
      throw new PlumbError('breakpoint_invalid', `${file} does not parse, so it has no lines to stop at.`);
    }
    return breakpoints.map((breakpoint) => {
      if (breakpoint.line < 1 || breakpoint.line > lineCount) {
        throw new PlumbError(
          'breakpoint_invalid',
          `Line ${breakpoint.line} is outside ${file}, which has ${lineCount} lines; pick a line between 1 and ${lineCount}.`,
        );
      }
      const bound = lines.find((line) => line >= breakpoint.line);
      if (bound === undefined) {
        throw new PlumbError(
          'breakpoint_invalid',
          `No code at or after line ${breakpoint.line} of ${file}; pick a line with a statement.`,
        );
      }
      return { requested: breakpoint.line, source: { ...breakpoint, line: bound } };
    });
  };

  const sendBreakpoints = async (file: string, breakpoints: DebugProtocol.SourceBreakpoint[]) => {
    const bound = await bindBreakpoints(file, breakpoints);
    const connection = connected();
    const body = await connection.request<DebugProtocol.SetBreakpointsResponse['body']>('setBreakpoints', {
      source: { path: file, name: path.basename(file) },
      breakpoints: bound.map(({ source }) =>
        source.logMessage === undefined
          ? source
          : { ...source, logMessage: logpointMarker + source.logMessage },
      ),
      sourceModified: false,
    });
    return bound.map(({ requested, source }, index): DebugProtocol.Breakpoint => {
      const answered = body.breakpoints[index];
      return {
        id: answered?.id,
        verified: answered?.verified ?? true,
        line: source.line,
        source: { path: file },
        ...(source.line !== requested
          ? {
              message: `Line ${requested} has no code; the breakpoint moved to line ${source.line}, the nearest executable line after it.`,
            }
          : {}),
      };
    });
  };

  const sendExceptionFilters = async (filters: ExceptionFilter[]) => {
    const connection = connected();
    const wanted = new Set(filters);
    if (!wanted.has('assertion')) {
      await connection.request('setExceptionBreakpoints', {
        filters: [...(wanted.has('all') ? ['raised'] : []), ...(wanted.has('uncaught') ? ['uncaught'] : [])],
      });
      return;
    }
    // An assertion breaks where it is raised even when a test runner catches it: pydevd needs exception
    // options (by type name) for that, and then takes every filter from them.
    const everything = [{ names: ['Python Exceptions'] }];
    const exceptionOptions: DebugProtocol.ExceptionOptions[] = [
      { path: [...everything, { names: ['AssertionError'] }], breakMode: 'always' },
    ];
    if (wanted.has('all')) exceptionOptions.push({ path: everything, breakMode: 'always' });
    else if (wanted.has('uncaught')) exceptionOptions.push({ path: everything, breakMode: 'unhandled' });
    await connection.request('setExceptionBreakpoints', { filters: [], exceptionOptions });
  };

  const connected = (): DapClient => {
    if (!client || client.closed || state.phase === 'terminated') {
      throw new PlumbError('debug_session_terminated', 'The debug session has terminated; launch a new one.');
    }
    return client;
  };

  /** The error a failed debugpy request becomes for the caller. */
  const failure = (error: unknown): PlumbError => {
    if (error instanceof PlumbError) return error;
    if (error instanceof DapRequestError && error.reason === 'closed')
      return new PlumbError('debug_session_terminated', 'The program ended; launch a new session.');
    const message = error instanceof Error ? error.message : String(error);
    return new PlumbError('invalid_request', truncateValue(message.trim(), 1_000));
  };

  const summarize = (variables: DebugProtocol.Variable[]): VariableSummary[] =>
    variables
      .filter((variable) => !hiddenVariableNames.has(variable.name))
      .map((variable) => ({
        name: /^\d+$/.test(variable.name) ? String(Number(variable.name)) : variable.name,
        value: truncateValue(variable.value),
        type: variable.type,
        variablesReference: variable.variablesReference,
      }));

  const buildSnapshot = async (event: DebugProtocol.StoppedEvent): Promise<StateSnapshot> => {
    const connection = connected();
    const threadId = event.body.threadId ?? stoppedThreadId;
    const { stackFrames } = await connection.request<DebugProtocol.StackTraceResponse['body']>('stackTrace', {
      threadId,
      startFrame: 0,
      levels: 100,
    });
    const frames = stackFrames.filter((frame) => frame.source?.path);
    frameIds = frames.map((frame) => frame.id);
    const top = frames[0];
    let locals: VariableSummary[] = [];
    if (top) {
      const { scopes } = await connection.request<DebugProtocol.ScopesResponse['body']>('scopes', {
        frameId: top.id,
      });
      const localScope = scopes[0];
      if (localScope) {
        const { variables } = await connection.request<DebugProtocol.VariablesResponse['body']>('variables', {
          variablesReference: localScope.variablesReference,
        });
        const moduleLevel = top.name === '<module>';
        // At module level the locals are the globals: leave out the interpreter's and the imports' names.
        locals = summarize(variables).filter(
          (variable) => !moduleLevel || (!variable.name.startsWith('__') && variable.type !== 'module'),
        );
      }
    }
    const reason = stopReasons[event.body.reason] ?? 'pause';
    const file = top?.source?.path ?? '';
    const line = top?.line ?? 0;
    const snapshot: StateSnapshot = {
      reason,
      location: { file, line, column: top?.column ?? 1, function: top?.name ?? '' },
      source: sourceContext(file, line),
      locals: locals.slice(0, snapshotLimits.locals),
      localsTruncated: locals.length > snapshotLimits.locals,
      callStack: frames.map((frame, index) => ({
        id: index,
        name: frame.name,
        file: frame.source?.path,
        line: frame.line,
        column: frame.column,
      })),
      recentOutput: state.recentOutput(),
    };
    if (event.body.hitBreakpointIds?.length) snapshot.hitBreakpointIds = event.body.hitBreakpointIds;
    if (reason === 'exception') {
      const information = await connection
        .request<DebugProtocol.ExceptionInfoResponse['body']>('exceptionInfo', { threadId })
        .catch(() => undefined);
      const type = (information?.exceptionId ?? 'Exception').split('.').at(-1) ?? 'Exception';
      const message = (information?.description ?? event.body.text ?? '').replace(/^['"]|['"]$/g, '');
      snapshot.exception = { type, message: truncateValue(message) };
      snapshot.description = truncateValue(`${type}: ${message}`);
    }
    return snapshot;
  };

  /**
   * pydevd's "raised" filter stops again in every user frame an exception passes through on its way to the
   * handler (DAP cannot set its first-raise-only flag). The contract's `all` means the place it was thrown, as
   * in the other backends: a stop for the same exception in a caller of the last exception stop is skipped.
   */
  let lastException: StateSnapshot | undefined;
  const isPropagation = (snapshot: StateSnapshot): boolean => {
    const previous = lastException;
    if (snapshot.reason !== 'exception' || !previous) return false;
    if (
      previous.exception?.type !== snapshot.exception?.type ||
      previous.exception?.message !== snapshot.exception?.message
    )
      return false;
    const frameKey = (frame: StateSnapshot['callStack'][number]) =>
      `${frame.file}:${frame.line}:${frame.name}`;
    const current = snapshot.callStack.map(frameKey).join('\n');
    const callers = previous.callStack.map(frameKey);
    return callers.some((_, depth) => depth > 0 && callers.slice(depth).join('\n') === current);
  };

  /**
   * The program's output comes from the launcher (which reads its pipes) and logpoints from pydevd: two
   * connections, so their order is loose. An unbuffered `print('total', 50)` also arrives in pieces. Output is
   * passed on by whole lines, so a logpoint never lands inside a line of the program's; a line without its end
   * is passed on after a moment, or at the next stop or the end.
   */
  const partialLines: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  let partialTimer: NodeJS.Timeout | undefined;
  const flushProgramOutput = () => {
    clearTimeout(partialTimer);
    partialTimer = undefined;
    for (const category of ['stdout', 'stderr'] as const) {
      if (partialLines[category]) state.addOutput(category, partialLines[category]);
      partialLines[category] = '';
    }
  };
  const addProgramOutput = (category: 'stdout' | 'stderr', output: string) => {
    const text = partialLines[category] + output;
    const lineEnd = text.lastIndexOf('\n') + 1;
    if (lineEnd > 0) state.addOutput(category, text.slice(0, lineEnd));
    partialLines[category] = text.slice(lineEnd);
    if (partialLines[category] && !partialTimer) partialTimer = setTimeout(flushProgramOutput, 100);
  };

  // Stops are handled one after the other: a snapshot takes several round trips, and a later event must not
  // overtake an earlier one.
  let eventQueue: Promise<void> = Promise.resolve();
  const onAdapterEvent = (event: DebugProtocol.Event) => {
    if (event.event === 'output') {
      const body = (event as DebugProtocol.OutputEvent).body;
      if (body.category === 'stdout' && body.output.startsWith(logpointMarker))
        state.addOutput('console', body.output.slice(logpointMarker.length));
      else if (body.category === 'stdout' || body.category === 'stderr')
        addProgramOutput(body.category, body.output);
      else if (body.category === 'console') state.addOutput('console', body.output);
      return;
    }
    if (event.event === 'exited') {
      exitCode = (event as DebugProtocol.ExitedEvent).body.exitCode;
      return;
    }
    if (event.event === 'stopped') {
      const stoppedEvent = event as DebugProtocol.StoppedEvent;
      eventQueue = eventQueue.then(async () => {
        if (state.phase === 'terminated') return;
        stoppedThreadId = stoppedEvent.body.threadId ?? stoppedThreadId;
        try {
          const snapshot = await buildSnapshot(stoppedEvent);
          if (isPropagation(snapshot)) {
            await connected().request('continue', { threadId: stoppedThreadId });
            return;
          }
          lastException = snapshot.reason === 'exception' ? snapshot : undefined;
          flushProgramOutput();
          snapshot.recentOutput = state.recentOutput();
          state.stopped(snapshot);
        } catch {
          // The program ended while the snapshot was read; the terminated event says so.
        }
      });
      return;
    }
    if (event.event === 'terminated') {
      eventQueue = eventQueue.then(() => end(exitCode));
    }
  };

  const end = (code: number | null) => {
    flushProgramOutput();
    state.terminated(code);
    client?.close();
    sandbox?.dispose();
  };

  const resumeWith = async (command: string, waitMilliseconds?: number): Promise<StopResult> => {
    state.assertPaused(command === 'continue' ? 'continue' : 'step');
    const connection = connected();
    const stop = state.nextStop(waitMilliseconds);
    state.resumed();
    frameIds = [];
    await connection.request(command, { threadId: stoppedThreadId }).catch((error: unknown) => {
      if (state.phase !== 'terminated') throw failure(error);
    });
    return stop;
  };

  const frameIdOf = (frameId: number | undefined): number => {
    const id = frameIds[frameId ?? 0];
    if (id === undefined) {
      throw new PlumbError('invalid_request', `No frame ${frameId}; use an id from the stack trace.`);
    }
    return id;
  };

  return {
    language: 'python',
    attach: refusePythonAttach,

    async launch(launchOptions: LaunchOptions): Promise<StopResult> {
      if (state.phase !== 'idle')
        throw new PlumbError('conflict', 'This backend already launched a program; create a new one.');
      const { cwd, program } = resolvePythonProgram(launchOptions);
      for (const readablePath of [path.dirname(program), cwd, ...(launchOptions.readablePaths ?? [])])
        readable.add(readablePath);
      const checked = await inspect('launch', program);
      if (checked.debugpyError) {
        throw new PlumbError(
          'interpreter_not_found',
          `The Python interpreter ${python()} cannot import debugpy (${checked.debugpyError}). Install debugpy for it (Debian: python3-debugpy) or set PLUMB_PYTHON to an interpreter that has it.`,
        );
      }
      if (checked.syntaxError) {
        throw new PlumbError(
          'source_syntax_error',
          `The program does not parse; fix the syntax error and launch again:\n${truncateValue(checked.syntaxError.trim(), 2_000)}`,
        );
      }
      const launchBreakpoints = Object.entries(launchOptions.breakpoints ?? {}).map(
        ([file, list]) => [path.resolve(cwd, file), list] as const,
      );
      // Bound before the program starts, so a bad line fails the launch instead of a running session.
      for (const [file, list] of launchBreakpoints) await bindBreakpoints(file, list);

      const environment = launchOptions.environment ?? {};
      sandbox = spawnSandboxed({
        command: python(),
        args: ['-X', 'utf8', '-m', 'debugpy.adapter'],
        environment: {
          ...environment,
          PYTHONPATH: [siteCustomizeDirectory, environment.PYTHONPATH].filter(Boolean).join(path.delimiter),
          PYTHONUNBUFFERED: '1',
          PYTHONDONTWRITEBYTECODE: '1',
          PYDEVD_DISABLE_FILE_VALIDATION: '1',
          // pydevd interrupts an evaluation that runs longer than this (KeyboardInterrupt in the evaluating
          // thread); `evaluate` changes it when asked for another timeout.
          PYDEVD_INTERRUPT_THREAD_TIMEOUT: String(interruptSeconds),
        },
        readablePaths: [...readable],
        memoryLimitBytes: launchOptions.memoryLimitBytes ?? defaultDebuggeeMemoryLimitBytes,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const child = sandbox.child;
      let adapterErrors = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        adapterErrors = (adapterErrors + chunk).slice(-4_000);
      });
      child.stdin?.on('error', () => undefined);
      if (!child.stdout || !child.stdin) throw new PlumbError('internal_error', 'The adapter has no pipes.');
      const connection = new DapClient(Duplex.from({ readable: child.stdout, writable: child.stdin }));
      client = connection;
      connection.onEvent(onAdapterEvent);
      child.once('error', () => end(null));
      child.once('close', (code) => {
        eventQueue = eventQueue.then(() => end(exitCode ?? code));
      });
      state.phase = 'running';

      try {
        await connection.request('initialize', {
          clientID: 'plumb',
          clientName: 'Plumb',
          adapterID: 'debugpy',
          pathFormat: 'path',
          linesStartAt1: true,
          columnsStartAt1: true,
          supportsVariableType: true,
          supportsRunInTerminalRequest: false,
        });
        const initialized = connection.waitForEvent('initialized', 15_000);
        // debugpy answers `launch` only after `configurationDone`.
        const launched = connection.request(
          'launch',
          {
            name: 'Plumb',
            type: 'python',
            request: 'launch',
            program,
            args: launchOptions.args ?? [],
            cwd,
            python: [python()],
            console: 'internalConsole',
            redirectOutput: true,
            justMyCode: true,
            // A child process would wait for a second client session to attach to it (the `debugpyAttach`
            // event), and over stdio there is only one; children run undebugged instead of hanging.
            subProcess: false,
            stopOnEntry: launchOptions.stopOnEntry ?? false,
            showReturnValue: false,
            variablePresentation: { special: 'hide', function: 'hide', class: 'group', protected: 'inline' },
          },
          { timeoutMilliseconds: 30_000 },
        );
        launched.catch(() => undefined);
        await initialized;
        for (const [file, list] of launchBreakpoints) await sendBreakpoints(file, list);
        await sendExceptionFilters(launchOptions.exceptionFilters ?? []);
        const firstStop = state.nextStop(launchOptions.waitMilliseconds);
        await connection.request('configurationDone');
        await launched;
        return await firstStop;
      } catch (error) {
        const adapterOutput = adapterErrors.trim();
        await this.terminate();
        if (error instanceof PlumbError) throw error;
        throw new PlumbError(
          'interpreter_not_found',
          `debugpy did not start the program: ${error instanceof Error ? error.message : String(error)}${adapterOutput ? `\n${truncateValue(adapterOutput, 1_000)}` : ''}`,
        );
      }
    },

    async setBreakpoints(file, breakpoints): Promise<DebugProtocol.Breakpoint[]> {
      state.assertAlive('set breakpoints');
      try {
        return await sendBreakpoints(path.resolve(file), breakpoints);
      } catch (error) {
        throw failure(error);
      }
    },

    async setExceptionBreakpoints(filters) {
      state.assertAlive('set exception breakpoints');
      await sendExceptionFilters(filters).catch((error: unknown) => {
        throw failure(error);
      });
    },

    continue: (waitOptions) => resumeWith('continue', waitOptions?.waitMilliseconds),
    stepOver: (waitOptions) => resumeWith('next', waitOptions?.waitMilliseconds),
    stepIn: (waitOptions) => resumeWith('stepIn', waitOptions?.waitMilliseconds),
    stepOut: (waitOptions) => resumeWith('stepOut', waitOptions?.waitMilliseconds),

    async pause(waitOptions) {
      state.assertAlive('pause');
      if (state.phase === 'paused') return state.currentOrNextStop();
      const connection = connected();
      const stop = state.nextStop(waitOptions?.waitMilliseconds);
      try {
        const { threads } = await connection.request<DebugProtocol.ThreadsResponse['body']>('threads');
        // pydevd suspends every thread whichever one is named; the main thread is the one a person means.
        await connection.request('pause', { threadId: threads[0]?.id ?? stoppedThreadId });
      } catch (error) {
        if (state.phase !== 'terminated') throw failure(error);
      }
      return stop;
    },

    waitForStop: async (waitOptions) => state.waitForStop(waitOptions?.waitMilliseconds),

    stackTrace: async () => state.stackFrames(),

    async scopes(frameId) {
      state.assertPaused('read scopes');
      const connection = connected();
      try {
        const { scopes } = await connection.request<DebugProtocol.ScopesResponse['body']>('scopes', {
          frameId: frameIdOf(frameId),
        });
        return scopes;
      } catch (error) {
        throw failure(error);
      }
    },

    async variables({ variablesReference, start = 0, count }) {
      state.assertPaused('read variables');
      const connection = connected();
      try {
        const { variables } = await connection.request<DebugProtocol.VariablesResponse['body']>('variables', {
          variablesReference,
        });
        // Paged here rather than by pydevd, whose pages count its own groups and `len()` entry.
        const visible = variables
          .filter((variable) => !hiddenVariableNames.has(variable.name))
          .map((variable) =>
            /^\d+$/.test(variable.name) ? { ...variable, name: String(Number(variable.name)) } : variable,
          );
        return visible.slice(start, start + Math.min(count ?? 100, 100));
      } catch (error) {
        throw failure(error);
      }
    },

    async evaluate({ expression, frameId, timeoutMilliseconds = 2_000 }): Promise<EvaluateResult> {
      state.assertPaused('evaluate');
      const connection = connected();
      const frame = frameIdOf(frameId);
      const seconds = Math.max(timeoutMilliseconds, 1) / 1_000;
      try {
        if (seconds !== interruptSeconds) {
          // pydevd reads its interrupt timeout from this constant at every evaluation.
          await connection.request('evaluate', {
            expression: `__import__('_pydevd_bundle.pydevd_constants').pydevd_constants.PYDEVD_INTERRUPT_THREAD_TIMEOUT = ${seconds}`,
            frameId: frame,
            context: 'repl',
          });
          interruptSeconds = seconds;
        }
      } catch (error) {
        throw failure(error);
      }
      const started = Date.now();
      const timedOut = () =>
        new PlumbError(
          'evaluation_timeout',
          `The evaluation took longer than ${timeoutMilliseconds} ms and was interrupted; the program is still paused.`,
        );
      let timer: NodeJS.Timeout | undefined;
      // pydevd interrupts the evaluation itself; this timer only answers when the interrupt cannot land (a
      // thread blocked in a system call) so the caller is never left waiting.
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut()), timeoutMilliseconds + 1_000);
      });
      try {
        const body = await Promise.race([
          connection.request<DebugProtocol.EvaluateResponse['body']>(
            'evaluate',
            { expression, frameId: frame, context: 'watch' },
            { timeoutMilliseconds: timeoutMilliseconds + 60_000 },
          ),
          deadline,
        ]);
        if (/KeyboardInterrupt/.test(body.result) && Date.now() - started >= timeoutMilliseconds * 0.9)
          throw timedOut();
        return {
          result: truncateValue(body.result),
          type: body.type,
          variablesReference: body.variablesReference,
        };
      } catch (error) {
        if (
          error instanceof DapRequestError &&
          /KeyboardInterrupt/.test(error.message) &&
          Date.now() - started >= timeoutMilliseconds * 0.9
        )
          throw timedOut();
        throw failure(error);
      } finally {
        clearTimeout(timer);
      }
    },

    async setVariable({ variablesReference, name, value }): Promise<EvaluateResult> {
      state.assertPaused('set a variable');
      const connection = connected();
      try {
        const body = await connection.request<DebugProtocol.SetVariableResponse['body']>('setVariable', {
          variablesReference,
          name,
          value,
        });
        return {
          result: truncateValue(body.value),
          type: body.type,
          variablesReference: body.variablesReference ?? 0,
        };
      } catch (error) {
        throw failure(error);
      }
    },

    output: () => state.output(),
    onEvent: (listener) => state.onEvent(listener),

    async terminate() {
      flushProgramOutput();
      client?.close();
      sandbox?.dispose();
      sandbox = undefined;
      if (state.phase !== 'idle') state.terminated(null);
      else state.phase = 'terminated';
    },
  };
}
