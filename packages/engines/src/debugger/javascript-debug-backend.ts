import { existsSync } from 'node:fs';
import type inspector from 'node:inspector';
import path from 'node:path';
import { PlumbError } from '@plumb/protocol';
import { firstTopLevelStatementLine } from './first-top-level-statement-line.ts';
import { spawnSandboxed, type SandboxedProcess } from '../sandbox/spawn-sandboxed.ts';
import { listenForAgent, type AgentConnection, type AgentSocketServer } from './agent-socket-server.ts';
import { connectInspectorWebSocket } from './connect-inspector-web-socket.ts';
import type { InspectorConnection } from './create-protocol-connection.ts';
import { BackendState, truncateValue } from './backend-state.ts';
import { buildJavaScriptSnapshot, type UserFrame } from './build-javascript-snapshot.ts';
import { isWantedException } from './classify-javascript-exception.ts';
import { describeRemoteObject } from './describe-remote-object.ts';
import {
  defaultDebuggeeMemoryLimitBytes,
  type AttachOptions,
  type DebugBackend,
  type ExceptionFilter,
  type LaunchOptions,
  type StateSnapshot,
  type StopResult,
} from './debug-backend.ts';
import { debuggeeHelpersSource, javascriptDebugAgentUrl } from './javascript-agent-source.ts';
import { JavaScriptBreakpoints } from './javascript-breakpoints.ts';
import { JavaScriptInspection } from './javascript-inspection.ts';
import { fileOfUrl, JavaScriptScripts } from './javascript-scripts.ts';
import { resolveInspectorAddress } from './resolve-inspector-address.ts';
import { sendDevToolsCommand } from './send-devtools-command.ts';

type PausedEvent = inspector.Debugger.PausedEventDataType;
type StartOptions = Pick<LaunchOptions, 'breakpoints' | 'exceptionFilters'>;

const tsxLoader = import.meta.resolve('tsx');

/** Programs tsx must load: TypeScript and JSX. Plain JavaScript runs on Node alone, which starts far faster. */
const needsTypeScriptLoader = (program: string) => /\.([cm]?tsx?|jsx)$/.test(program);

/**
 * ES module syntax in a .js file outside a `"type": "module"` package, as tsx would allow: Node 20 needs this
 * flag to detect it (later versions detect by default and still accept the flag).
 */
const detectModuleFlags = process.allowedNodeEnvironmentFlags.has('--experimental-detect-module')
  ? ['--experimental-detect-module']
  : [];

/**
 * Installs the breakpoint helpers in a program attached to, whose modules load lazily: evaluated in an
 * interrupt, a `require` of node:inspector could land in the middle of one Node is loading and fail ("Class
 * extends value undefined"), so the modules are fetched when a logpoint first runs. Answers whether it can.
 */
const attachedHelpersExpression = `(() => {
  if (typeof process.getBuiltinModule !== 'function') return false;
  const inspector = { get console() { return process.getBuiltinModule('node:inspector').console; } };
  const inspect = (...args) => process.getBuiltinModule('node:util').inspect(...args);
  ${debuggeeHelpersSource}
  return true;
})()`;

/**
 * A JavaScript/TypeScript debug backend: the program runs with an in-process agent (`node [--import tsx]
 * --import <javascript-agent-source.ts's data: URL>`) that relays the V8 inspector over a Unix socket, inside the
 * sandbox. tsx is loaded for TypeScript only; TypeScript positions go through its inline source maps both ways.
 * `attach` drives a program someone started with `node --inspect` over its WebSocket instead, with the same
 * logic once connected; `terminate` then detaches and leaves that program running.
 *
 * @example
 * const backend = createJavaScriptDebugBackend();
 * const stop = await backend.launch({ program: '/app/main.ts', breakpoints: { '/app/main.ts': [{ line: 4 }] } });
 * await backend.terminate();
 */
export function createJavaScriptDebugBackend(): DebugBackend {
  const state = new BackendState();
  const scripts = new JavaScriptScripts();
  let connection: AgentConnection | undefined;
  /** Set while attached to a program this backend did not start (which it must never kill). */
  let attached: InspectorConnection | undefined;
  const connected = () => {
    if (!connection)
      throw new PlumbError('conflict', 'The program is not launched; call launch or attach first.');
    return connection;
  };
  const send = <TResult>(method: string, params?: object) => connected().send<TResult>(method, params);
  const inspection = new JavaScriptInspection(connected);
  const breakpoints = new JavaScriptBreakpoints(connected, scripts, (breakpoint) =>
    state.emit({ event: 'breakpoint', body: { reason: 'changed', breakpoint } }),
  );
  let sandbox: SandboxedProcess | undefined;
  let server: AgentSocketServer | undefined;
  let paused: PausedEvent | undefined;
  let userFrames: UserFrame[] = [];
  let exceptionFilters: ExceptionFilter[] = [];
  let entryProgram: string | undefined;
  // Entry stops: one per way of reaching the program's first statement; the first one hit wins.
  let entryBreakpointIds: string[] = [];
  let expectedReason: 'step' | 'pause' | undefined;
  let failedToParse = false;
  /** Attach with stopOnEntry to a program held by --inspect-brk: its "Break on start" pause is the entry stop. */
  let entryOnBreakOnStart = false;

  const resume = async () => {
    inspection.clear();
    paused = undefined;
    await send('Debugger.resume');
    // V8 drops a pause asked for while it is stopped here for the engine's own work (binding breakpoints at a
    // script's start, skipping an exception): ask again now that it runs.
    if (expectedReason === 'pause') await send('Debugger.pause');
  };

  const stop = async (event: PausedEvent, reason: StateSnapshot['reason']) => {
    expectedReason = undefined;
    const snapshot = await buildJavaScriptSnapshot({
      event,
      reason,
      userFrames,
      scripts,
      inspection,
      recentOutput: state.recentOutput(),
      hitBreakpointIds: breakpoints.idsOf(event.hitBreakpoints),
    });
    state.stopped(snapshot);
  };

  /** Where "stop on entry" stops: the program's first top-level statement. */
  const entryLocation = async (
    scriptId: string,
    entryFile: string,
    commonJs: boolean,
  ): Promise<inspector.Debugger.Location> => {
    if (commonJs) {
      // tsx wraps a CommonJS module's code in a function, so V8's function-level view cannot tell the
      // program's top level from the wrapper: find the first statement in the source and map it.
      const line = firstTopLevelStatementLine(entryFile);
      const target =
        line === undefined ? undefined : scripts.get(scriptId)?.sourceMap?.toGenerated(entryFile, line);
      if (target) return { scriptId, lineNumber: target.position.line, columnNumber: target.position.column };
    }
    // The first top-level statement of the program itself, not tsx's module preamble (which maps to no
    // line) nor the first line of a function declared above it.
    const { locations } = await send<inspector.Debugger.GetPossibleBreakpointsReturnType>(
      'Debugger.getPossibleBreakpoints',
      { start: { scriptId, lineNumber: 0, columnNumber: 0 }, restrictToFunction: true },
    );
    return (
      locations.find((location) => scripts.originalPosition(location)?.file === entryFile) ??
      locations[0] ?? { scriptId, lineNumber: 0, columnNumber: 0 }
    );
  };

  /** V8 is about to run a script: bind its .ts breakpoints, and plant the entry stop in the program. */
  const beforeScript = async (event: PausedEvent) => {
    const data: { scriptId?: string } | undefined = event.data;
    // Load hooks (CommonJS modules) pause inside the module itself rather than before it.
    const scriptId = data?.scriptId ?? event.callFrames[0]?.location.scriptId ?? '';
    const script = scripts.get(scriptId);
    if (script) await breakpoints.bindPending(script);
    if (
      script &&
      entryProgram &&
      (script.file === entryProgram || script.sourceMap?.sources.includes(entryProgram))
    ) {
      const entryFile = entryProgram;
      entryProgram = undefined;
      await send('Debugger.removeBreakpoint', {
        breakpointId: 'instrumentation:beforeScriptExecution',
      }).catch(() => undefined);
      const answer = await send<inspector.Debugger.SetBreakpointReturnType>('Debugger.setBreakpoint', {
        location: await entryLocation(scriptId, entryFile, data?.scriptId === undefined),
      });
      entryBreakpointIds.push(answer.breakpointId);
    }
    await resume();
  };

  const stopAtEntry = async (event: PausedEvent) => {
    for (const breakpointId of entryBreakpointIds) await send('Debugger.removeBreakpoint', { breakpointId });
    if (entryProgram) {
      await send('Debugger.removeBreakpoint', {
        breakpointId: 'instrumentation:beforeScriptExecution',
      }).catch(() => undefined);
    }
    entryBreakpointIds = [];
    entryProgram = undefined;
    entryOnBreakOnStart = false;
    return stop(event, 'entry');
  };

  /**
   * `--inspect-brk` holds the program here until `Runtime.runIfWaitingForDebugger`: at the top of the main
   * module, or inside a preload (tsx). With the program known, its entry stop is armed as for a launch (so both
   * stop at the same place) and this pause is passed; otherwise the top of the main module is the entry.
   */
  const breakOnStart = async (event: PausedEvent) => {
    if (entryOnBreakOnStart && !entryProgram && userFrames[0]?.index === 0) return stopAtEntry(event);
    return resume();
  };

  const onPaused = async (event: PausedEvent) => {
    paused = event;
    userFrames = event.callFrames
      .map((frame, index) => ({ frame, index }))
      .filter(({ frame }) => scripts.isUserScript(frame.location.scriptId));
    if (event.reason === 'instrumentation') return beforeScript(event);
    if (await breakpoints.takeLoadHooks(event.hitBreakpoints)) return beforeScript(event);
    if (event.reason === 'Break on start') return breakOnStart(event);
    if (event.hitBreakpoints?.some((id) => entryBreakpointIds.includes(id))) return stopAtEntry(event);
    if (event.reason === 'exception' || event.reason === 'promiseRejection') {
      if (!isWantedException(event, userFrames, exceptionFilters, scripts)) return resume();
      return stop(event, 'exception');
    }
    if (userFrames[0]?.index !== 0 && !event.hitBreakpoints?.length) {
      // A step into library code, or a pause inside Node: keep going until user code.
      if (userFrames.length === 0 && expectedReason === 'pause') return send('Debugger.stepInto');
      return send('Debugger.stepOut');
    }
    return stop(event, event.hitBreakpoints?.length ? 'breakpoint' : (expectedReason ?? 'breakpoint'));
  };

  const onNotification = (method: string, params: Record<string, unknown>) => {
    if (method === 'Debugger.scriptParsed') {
      scripts.record(params as unknown as inspector.Debugger.ScriptParsedEventDataType);
    } else if (method === 'Debugger.scriptFailedToParse') {
      failedToParse ||= Boolean((params as { url?: string }).url);
    } else if (method === 'Debugger.paused') {
      onPaused(params as unknown as PausedEvent).catch((error: unknown) => {
        if (!connection?.closed) state.addOutput('console', `plumb: ${String(error)}\n`);
      });
    } else if (method === 'Debugger.resumed') {
      if (state.phase === 'paused') state.resumed();
    } else if (method === 'Debugger.breakpointResolved') {
      const { breakpointId, location } =
        params as unknown as inspector.Debugger.BreakpointResolvedEventDataType;
      breakpoints.resolved(breakpointId, location);
    } else if (method === 'Runtime.consoleAPICalled') {
      const { type, args } = params as unknown as inspector.Runtime.ConsoleAPICalledEventDataType;
      if (args[0]?.value === '\u0000plumb-logpoint')
        state.addOutput('console', `${String(args[1]?.value)}\n`);
      // An attached program's stdout and stderr are not ours to read: its console calls are what it says.
      else if (attached) {
        const text = args.map((arg) =>
          arg.type === 'string' ? String(arg.value) : describeRemoteObject(arg),
        );
        state.addOutput(
          /^(error|warning|assert|trace)$/.test(type) ? 'stderr' : 'stdout',
          `${text.join(' ')}\n`,
        );
      }
    } else if (method === 'NodeRuntime.waitingForDisconnect') {
      // The attached program has ended; Node keeps it alive until its debugger lets go.
      state.terminated(null);
      attached?.close();
    }
  };

  const applyExceptionFilters = async (filters: ExceptionFilter[]) => {
    exceptionFilters = filters;
    // 'all' even for 'uncaught': see isWantedException.
    await send('Debugger.setPauseOnExceptions', { state: filters.length > 0 ? 'all' : 'none' });
  };

  const resumeWith = async (method: string, waitMilliseconds?: number): Promise<StopResult> => {
    state.assertPaused(method === 'Debugger.resume' ? 'continue' : 'step');
    expectedReason = method === 'Debugger.resume' ? undefined : 'step';
    const next = state.nextStop(waitMilliseconds);
    inspection.clear();
    paused = undefined;
    await sendUnlessEnded(method);
    return next;
  };

  /**
   * Sends a command that lets the program run. A program that ends right away can close the inspector session
   * before the reply ("Session was closed"): that is the program's end, which `nextStop` reports, not a failure.
   */
  const sendUnlessEnded = async (method: string): Promise<void> => {
    try {
      await send(method);
    } catch (error) {
      if (!/Session was closed|the debuggee has ended/.test((error as Error).message)) throw error;
    }
  };

  const frameById = (frameId: number | undefined) => {
    const frame = frameId === undefined ? userFrames[0]?.frame : paused?.callFrames[frameId];
    if (!frame) {
      throw new PlumbError('invalid_request', `No frame ${frameId}; use an id from the stack trace.`, {
        param: 'frameId',
      });
    }
    return frame;
  };

  const startAgent = async (program: string, cwd: string, options: LaunchOptions) => {
    server = await listenForAgent();
    sandbox = spawnSandboxed({
      command: process.execPath,
      // A heap limit rather than an address-space one: V8 reserves far more address space than it uses
      // (WebAssembly, which tsx loads, alone reserves gigabytes), so RLIMIT_AS would stop every program.
      args: [
        `--max-old-space-size=${Math.floor((options.memoryLimitBytes ?? defaultDebuggeeMemoryLimitBytes) / 1024 ** 2)}`,
        ...(needsTypeScriptLoader(program) ? ['--import', tsxLoader] : detectModuleFlags),
        '--import',
        javascriptDebugAgentUrl,
        program,
        ...(options.args ?? []),
      ],
      environment: { ...options.environment, PLUMB_DEBUG_SOCKET: server.socketPath, PLUMB_DEBUG_CWD: cwd },
      readablePaths: [path.dirname(program), cwd, ...(options.readablePaths ?? [])],
      // Under bubblewrap /tmp is a fresh tmpfs: the socket's directory must be bound in explicitly.
      writablePaths: [server.directory],
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = sandbox.child;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => state.addOutput('stdout', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => state.addOutput('stderr', chunk));
    const exited = new Promise<undefined>((resolve) => child.once('exit', () => resolve(undefined)));
    // 'close' rather than 'exit': the end is announced after the last output has arrived.
    child.once('close', (code) => {
      state.terminated(code);
      server?.close();
    });
    const agent = await Promise.race([server.connection, exited]);
    if (!agent) {
      await new Promise((resolve) => setImmediate(resolve));
      throw new PlumbError(
        'internal_error',
        `The program ended before the debugger could attach: ${truncateValue(state.recentOutput().join('\n'), 2_000)}`,
      );
    }
    return agent;
  };

  const assertIdle = () => {
    if (state.phase !== 'idle') {
      throw new PlumbError(
        'conflict',
        'This backend already launched or attached to a program; create a new one.',
      );
    }
  };

  /**
   * Everything after the connection exists, for launch and attach alike: domains, exception filters and the
   * first breakpoints. Scripts already loaded (attach) are announced by `Debugger.enable` before its answer,
   * so breakpoints bind to them; later ones bind as they load.
   */
  const startSession = async (opened: AgentConnection, options: StartOptions) => {
    connection = opened;
    connection.onNotification(onNotification);
    state.phase = 'running';
    // Sent together, not one round trip at a time: the connection keeps their order and the program does not
    // run yet (launch) or keeps running regardless (attach), so none of them depends on the answer to another.
    await Promise.all([
      send('Runtime.enable'),
      send('Debugger.enable', { maxScriptsCacheSize: 10_000_000 }),
      send('Debugger.setAsyncCallStackDepth', { maxDepth: 16 }),
      // No blackboxing: V8 does not pause on exceptions thrown in blackboxed code, and assertion libraries
      // (node:assert, expect in node_modules) throw from there. Steps leave library code by hand instead.
      applyExceptionFilters(options.exceptionFilters ?? []),
      // V8 stops before each script with a source map runs, so .ts breakpoints bind before their code runs.
      send('Debugger.setInstrumentationBreakpoint', {
        instrumentation: 'beforeScriptWithSourceMapExecution',
      }),
    ]);
  };

  /** Stops at the first statement of `program`, which has not started to run yet. */
  const armEntryStop = async (program: string) => {
    entryProgram = program;
    // ES modules and scripts stop before they run; CommonJS modules are compiled as functions, which V8's
    // instrumentation does not see, so they get a breakpoint on their first line as well.
    await send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' });
    if (/\.[cm]?tsx?$/.test(program)) await breakpoints.addLoadHook(program);
    else {
      const answer = await send<inspector.Debugger.SetBreakpointByUrlReturnType>(
        'Debugger.setBreakpointByUrl',
        {
          urlRegex: `^(file://)?${program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
          lineNumber: 0,
        },
      );
      entryBreakpointIds.push(answer.breakpointId);
    }
  };

  const setFirstBreakpoints = async (options: StartOptions, cwd: string) => {
    for (const [file, requests] of Object.entries(options.breakpoints ?? {})) {
      await breakpoints.set(path.resolve(cwd, file), requests);
    }
  };

  /**
   * Lets go of an attached program: breakpoints out, resumed, debugger off, socket closed. Best effort: a program
   * that ended meanwhile has nothing left to undo.
   */
  const detach = async (open: InspectorConnection) => {
    if (open.closed) return;
    try {
      await breakpoints.clear();
      for (const breakpointId of entryBreakpointIds)
        await send('Debugger.removeBreakpoint', { breakpointId });
      await send('Debugger.setPauseOnExceptions', { state: 'none' });
      if (state.phase === 'paused') await send('Debugger.resume');
      await sendDevToolsCommand(open, 'Debugger.disable');
      await sendDevToolsCommand(open, 'Runtime.disable');
    } catch {
      // The program went while we let go of it.
    }
    open.close();
  };

  return {
    language: 'javascript',

    async launch(options: LaunchOptions): Promise<StopResult> {
      assertIdle();
      const cwd = path.resolve(options.cwd ?? path.dirname(path.resolve(options.program)));
      const program = path.resolve(cwd, options.program);
      if (!existsSync(program)) {
        throw new PlumbError(
          'program_not_found',
          `No program at ${program}; pass the path of an existing .js or .ts file.`,
          {
            param: 'program',
          },
        );
      }
      try {
        await startSession(await startAgent(program, cwd, options), options);
        if (options.stopOnEntry) await armEntryStop(program);
        await setFirstBreakpoints(options, cwd);
        const first = state.nextStop(options.waitMilliseconds);
        await send('Plumb.run');
        const result = await first;
        const errors = state
          .output()
          .filter((entry) => entry.category === 'stderr')
          .map((entry) => entry.output)
          .join('');
        if (
          result.status === 'terminated' &&
          result.exitCode !== 0 &&
          (failedToParse || /SyntaxError|TransformError|Transform failed/.test(errors))
        ) {
          throw new PlumbError(
            'source_syntax_error',
            `The program does not parse; fix the syntax error and launch again:\n${truncateValue(errors.trim(), 2_000)}`,
          );
        }
        return result;
      } catch (error) {
        await this.terminate();
        throw error;
      }
    },

    async attach(options: AttachOptions): Promise<StopResult> {
      assertIdle();
      const target = await resolveInspectorAddress(options.address, {
        allowRemoteHosts: options.allowRemoteHosts ?? false,
      });
      const opened = await connectInspectorWebSocket(target.webSocketUrl);
      attached = opened;
      for (const warning of target.warnings) state.addOutput('console', `plumb: ${warning}\n`);
      // The program was killed or the connection dropped: its end, as far as this session can tell.
      opened.onClose(() => state.terminated(null));
      try {
        // Node keeps an ended program alive while a debugger is attached; this says when that happens.
        await opened.send('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true });
        await startSession(opened, options);
        const helpers = await sendDevToolsCommand(opened, 'Runtime.evaluate', {
          expression: attachedHelpersExpression,
          returnByValue: true,
        });
        const helperProblem =
          helpers.exceptionDetails?.exception?.description ??
          (helpers.result.value === true ? undefined : 'process.getBuiltinModule is missing (Node < 20.16)');
        if (helperProblem) {
          state.addOutput(
            'console',
            `plumb: logpoints and hit counts do not work in this program (${helperProblem.split('\n')[0]}); conditions do.\n`,
          );
        }
        const program = target.programUrl === undefined ? undefined : fileOfUrl(target.programUrl);
        // Only a program that has not run its own code yet has an entry to stop at.
        if (options.stopOnEntry && !(program && scripts.knows(program))) {
          entryOnBreakOnStart = true;
          if (program) await armEntryStop(program);
        }
        await setFirstBreakpoints(options, process.cwd());
        const first = state.nextStop(options.waitMilliseconds);
        await sendDevToolsCommand(opened, 'Runtime.runIfWaitingForDebugger');
        return await first;
      } catch (error) {
        await this.terminate();
        throw error;
      }
    },

    async setBreakpoints(file, requests) {
      state.assertAlive('set breakpoints');
      return breakpoints.set(file, requests);
    },

    async setExceptionBreakpoints(filters) {
      state.assertAlive('set exception breakpoints');
      await applyExceptionFilters(filters);
    },

    continue: (options) => resumeWith('Debugger.resume', options?.waitMilliseconds),
    stepOver: (options) => resumeWith('Debugger.stepOver', options?.waitMilliseconds),
    stepIn: (options) => resumeWith('Debugger.stepInto', options?.waitMilliseconds),
    stepOut: (options) => resumeWith('Debugger.stepOut', options?.waitMilliseconds),

    async pause(options) {
      state.assertAlive('pause');
      if (state.phase === 'paused') return state.currentOrNextStop();
      expectedReason = 'pause';
      const next = state.nextStop(options?.waitMilliseconds);
      await sendUnlessEnded('Debugger.pause');
      return next;
    },

    waitForStop: async (options) => state.waitForStop(options?.waitMilliseconds),

    stackTrace: async () => state.stackFrames(),

    async scopes(frameId) {
      state.assertPaused('read scopes');
      return inspection.scopes(frameById(frameId));
    },

    async variables({ variablesReference, start, count }) {
      state.assertPaused('read variables');
      return inspection.variables(variablesReference, start, count);
    },

    async evaluate({ expression, frameId, timeoutMilliseconds = 2_000 }) {
      state.assertPaused('evaluate');
      return inspection.evaluate(expression, frameById(frameId), timeoutMilliseconds);
    },

    async setVariable({ variablesReference, name, value }) {
      state.assertPaused('set a variable');
      return inspection.setVariable(variablesReference, name, value, frameById(undefined));
    },

    output: () => state.output(),
    onEvent: (listener) => state.onEvent(listener),

    async terminate() {
      if (attached) await detach(attached);
      attached = undefined;
      sandbox?.dispose();
      sandbox = undefined;
      server?.close();
      server = undefined;
      if (state.phase === 'idle') state.phase = 'terminated';
      else state.terminated(null);
    },
  };
}
