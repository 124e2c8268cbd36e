import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PlumbError, isPlumbErrorCode } from '@plumb/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { resolvePythonInterpreter } from '../languages/python/resolve-python-interpreter.ts';
import { spawnSandboxed, type SandboxedProcess } from '../sandbox/spawn-sandboxed.ts';
import { BackendState, sourceContext, truncateValue } from './backend-state.ts';
import { resolvePythonProgram } from './resolve-python-program.ts';
import { refusePythonAttach } from './refuse-python-attach.ts';
import {
  defaultDebuggeeMemoryLimitBytes,
  type DebugBackend,
  type EvaluateResult,
  type LaunchOptions,
  type StateSnapshot,
  type StopResult,
} from './debug-backend.ts';

const controllerPath = fileURLToPath(new URL('./python-debug-controller.py', import.meta.url));

export interface PythonDebugBackendOptions {
  /** The interpreter; default `resolvePythonInterpreter()`. */
  python?: string;
}

interface ControllerMessage {
  id?: number;
  event?: string;
  body?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/**
 * A Python debug backend on the standard library's `bdb`: `python-debug-controller.py` runs the program and
 * speaks JSON lines over fds 3 (requests) and 4 (responses, events), so the program's stdout and stderr are its
 * own. No dependency beyond the interpreter, and a step costs well under a millisecond.
 *
 * @example
 * const backend = createPythonDebugBackend();
 * const stop = await backend.launch({ program: '/app/main.py', stopOnEntry: true });
 * await backend.terminate();
 */
export function createPythonDebugBackend(options: PythonDebugBackendOptions = {}): DebugBackend {
  const state = new BackendState();
  let sandbox: SandboxedProcess | undefined;
  let requests: Writable | undefined;
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (body: Record<string, unknown>) => void; reject: (error: Error) => void }
  >();
  let syntaxError: string | undefined;
  let controllerStarted = false;
  let launchBreakpointError: string | undefined;

  const request = <TBody = Record<string, unknown>>(command: string, args: object = {}): Promise<TBody> => {
    if (!requests || state.phase === 'terminated') {
      return Promise.reject(
        new PlumbError('debug_session_terminated', 'The debug session has terminated; launch a new one.'),
      );
    }
    const id = nextId++;
    const answer = new Promise<TBody>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (body: Record<string, unknown>) => void, reject });
    });
    requests.write(JSON.stringify({ id, command, arguments: args }) + '\n');
    return answer;
  };

  const onMessage = (message: ControllerMessage) => {
    if (message.id !== undefined) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) {
        const code = isPlumbErrorCode(message.error.code) ? message.error.code : 'invalid_request';
        const text =
          code === 'evaluation_timeout'
            ? 'The evaluation took longer than its timeout and was interrupted; the program is still paused.'
            : message.error.message;
        waiter?.reject(new PlumbError(code, text));
      } else {
        waiter?.resolve(message.body ?? {});
      }
      return;
    }
    const body = message.body ?? {};
    if (message.event === 'stopped') {
      const snapshot = body as unknown as StateSnapshot;
      snapshot.source = sourceContext(snapshot.location.file, snapshot.location.line);
      snapshot.recentOutput = state.recentOutput();
      if (!snapshot.hitBreakpointIds) delete snapshot.hitBreakpointIds;
      state.stopped(snapshot);
    } else if (message.event === 'output') {
      state.addOutput('console', String(body.output));
    } else if (message.event === 'syntaxError') {
      syntaxError = String(body.message);
    } else if (message.event === 'ready') {
      controllerStarted = true;
    } else if (message.event === 'breakpoints' && body.error) {
      launchBreakpointError = typeof body.error === 'string' ? body.error : JSON.stringify(body.error);
    }
  };

  const resumeWith = async (command: string, waitMilliseconds?: number): Promise<StopResult> => {
    state.assertPaused(command === 'continue' ? 'continue' : 'step');
    const stop = state.nextStop(waitMilliseconds);
    state.resumed();
    await request(command);
    return stop;
  };

  return {
    language: 'python',
    attach: refusePythonAttach,

    async launch(launchOptions: LaunchOptions): Promise<StopResult> {
      if (state.phase !== 'idle')
        throw new PlumbError('conflict', 'This backend already launched a program; create a new one.');
      const { cwd, program } = resolvePythonProgram(launchOptions);
      const setup = {
        stopOnEntry: launchOptions.stopOnEntry ?? false,
        exceptionFilters: launchOptions.exceptionFilters ?? [],
        breakpoints: Object.fromEntries(
          Object.entries(launchOptions.breakpoints ?? {}).map(([file, list]) => [
            path.resolve(cwd, file),
            list,
          ]),
        ),
      };
      const python = resolvePythonInterpreter(options.python);
      sandbox = spawnSandboxed({
        command: python,
        args: ['-X', 'utf8', controllerPath, program, ...(launchOptions.args ?? [])],
        environment: {
          ...launchOptions.environment,
          PLUMB_DEBUG_CWD: cwd,
          PLUMB_DEBUG_SETUP: JSON.stringify(setup),
          PYTHONUNBUFFERED: '1',
          PYTHONDONTWRITEBYTECODE: '1',
        },
        readablePaths: [path.dirname(program), cwd, ...(launchOptions.readablePaths ?? [])],
        memoryLimitBytes: launchOptions.memoryLimitBytes ?? defaultDebuggeeMemoryLimitBytes,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      });
      const child = sandbox.child;
      requests = child.stdio[3] as Writable;
      requests.on('error', () => undefined);
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => state.addOutput('stdout', chunk));
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => state.addOutput('stderr', chunk));
      let buffer = '';
      const responses = child.stdio[4] as Readable;
      responses.setEncoding('utf8');
      responses.on('data', (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          onMessage(JSON.parse(buffer.slice(0, newline)) as ControllerMessage);
          buffer = buffer.slice(newline + 1);
        }
      });
      child.once('error', () => state.terminated(null));
      // 'close' rather than 'exit': the end is announced after the last output has arrived.
      child.once('close', (code) => {
        for (const waiter of pending.values())
          waiter.reject(new PlumbError('debug_session_terminated', 'The program ended.'));
        pending.clear();
        state.terminated(code);
      });
      state.phase = 'running';
      const result = await state.nextStop(launchOptions.waitMilliseconds);
      if (result.status === 'terminated' && !controllerStarted) {
        const errors = state.recentOutput().join('\n');
        throw new PlumbError(
          'interpreter_not_found',
          `Could not start the Python debug controller with ${python}: ${truncateValue(errors, 1_000) || 'no output'}. Set PLUMB_PYTHON to a Python 3.10+ interpreter.`,
        );
      }
      if (syntaxError) {
        throw new PlumbError(
          'source_syntax_error',
          `The program does not parse; fix the syntax error and launch again:\n${truncateValue(syntaxError.trim(), 2_000)}`,
        );
      }
      if (launchBreakpointError) {
        await this.terminate();
        throw new PlumbError('breakpoint_invalid', launchBreakpointError);
      }
      return result;
    },

    async setBreakpoints(file, breakpoints): Promise<DebugProtocol.Breakpoint[]> {
      state.assertAlive('set breakpoints');
      if (!existsSync(path.resolve(file))) {
        throw new PlumbError(
          'breakpoint_invalid',
          `No file ${path.resolve(file)}; breakpoints need an existing source file.`,
        );
      }
      const body = await request<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', {
        file: path.resolve(file),
        breakpoints,
      });
      return body.breakpoints;
    },

    async setExceptionBreakpoints(filters) {
      state.assertAlive('set exception breakpoints');
      await request('setExceptionBreakpoints', { filters });
    },

    continue: (waitOptions) => resumeWith('continue', waitOptions?.waitMilliseconds),
    stepOver: (waitOptions) => resumeWith('next', waitOptions?.waitMilliseconds),
    stepIn: (waitOptions) => resumeWith('stepIn', waitOptions?.waitMilliseconds),
    stepOut: (waitOptions) => resumeWith('stepOut', waitOptions?.waitMilliseconds),

    async pause(waitOptions) {
      state.assertAlive('pause');
      if (state.phase === 'paused') return state.currentOrNextStop();
      const stop = state.nextStop(waitOptions?.waitMilliseconds);
      await request('pause');
      return stop;
    },

    waitForStop: async (waitOptions) => state.waitForStop(waitOptions?.waitMilliseconds),

    stackTrace: async () => state.stackFrames(),

    async scopes(frameId) {
      state.assertPaused('read scopes');
      return (await request<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId })).scopes;
    },

    async variables({ variablesReference, start, count }) {
      state.assertPaused('read variables');
      return (
        await request<{ variables: DebugProtocol.Variable[] }>('variables', {
          variablesReference,
          start,
          count,
        })
      ).variables;
    },

    async evaluate({ expression, frameId, timeoutMilliseconds = 2_000 }): Promise<EvaluateResult> {
      state.assertPaused('evaluate');
      return request<EvaluateResult>('evaluate', { expression, frameId, timeout: timeoutMilliseconds });
    },

    async setVariable({ variablesReference, name, value }): Promise<EvaluateResult> {
      state.assertPaused('set a variable');
      const body = await request<{ value: string; type: string; variablesReference: number }>('setVariable', {
        variablesReference,
        name,
        value,
      });
      return { result: body.value, type: body.type, variablesReference: body.variablesReference };
    },

    output: () => state.output(),
    onEvent: (listener) => state.onEvent(listener),

    async terminate() {
      sandbox?.dispose();
      sandbox = undefined;
      if (state.phase !== 'idle') state.terminated(null);
      else state.phase = 'terminated';
    },
  };
}
