import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { VectorLanguage } from './analyzed-function.ts';
import type { ExecutorMessage, ExecutorRequest } from './executor-protocol.ts';
import type { VectorOutcome } from './vector-outcome.ts';
import { spawnSandboxed, type SandboxedProcess } from '../sandbox/spawn-sandboxed.ts';
import type { IsolationMethod } from '../sandbox/detect-isolation.ts';

const executorsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'executors');
const tsxLoader = import.meta.resolve('tsx');
const outputTailLength = 4_000;

export interface VectorExecutorOptions {
  language: VectorLanguage;
  /** Absolute path of the module under test. */
  modulePath: string;
  /** Python interpreter (see `resolvePythonInterpreter`). */
  pythonPath: string;
  /** Per-call limit; a call that takes longer is killed with its process. Default 2,000 ms. */
  timeoutMs?: number;
  /** Memory cap of the executor process. Default 512 MiB. */
  memoryMb?: number;
  isolation?: IsolationMethod;
}

type ExitMessage = { type: 'exit'; code: number | null; signal: string | null };
type Started = { exports: string[] } | { importError: { type: string; message: string } };

/**
 * One sandboxed executor process for one module, restarted after a call hangs or kills it, so a hang or a
 * crash costs only the vector that caused it. Calls run one at a time.
 *
 * @example
 * const executor = new VectorExecutor({ language: 'typescript', modulePath, pythonPath: 'python3' });
 * await executor.start();
 * const outcome = await executor.run({ id: 'v1', function: 'slugify', arguments: [''], repeat: 2 });
 * executor.close();
 */
export class VectorExecutor {
  readonly #options: Required<Omit<VectorExecutorOptions, 'isolation'>> & { isolation?: IsolationMethod };
  #process: SandboxedProcess | undefined;
  #requests: Writable | undefined;
  #waiting: ((message: ExecutorMessage | ExitMessage) => void) | undefined;
  #outputTail = '';
  #started: Started | undefined;
  /** How many executor processes were started (the first plus restarts). */
  processStarts = 0;

  constructor(options: VectorExecutorOptions) {
    this.#options = { timeoutMs: 2_000, memoryMb: 512, ...options };
  }

  get isolation(): IsolationMethod | undefined {
    return this.#process?.isolation;
  }

  /** Starts the process and imports the module; resolves with its callables or the import error. */
  async start(): Promise<Started> {
    if (this.#process && this.#started) return this.#started;
    this.processStarts += 1;
    const { language, modulePath, pythonPath, memoryMb } = this.#options;
    const command =
      language === 'python'
        ? {
            command: pythonPath,
            args: ['-X', 'utf8', path.join(executorsDirectory, 'python-executor.py'), modulePath],
          }
        : {
            command: process.execPath,
            args: [
              `--max-old-space-size=${memoryMb}`,
              '--import',
              tsxLoader,
              path.join(executorsDirectory, 'node-executor.ts'),
              modulePath,
            ],
          };
    const sandboxed = spawnSandboxed({
      ...command,
      // A fixed hash seed: set and dict orders must not differ between runs, or from the emitted pytest run.
      environment: {
        PLUMB_EXECUTOR_MEMORY_MB: String(memoryMb * 2),
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONHASHSEED: '0',
      },
      readablePaths: [path.dirname(modulePath)],
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      ...(this.#options.isolation ? { isolation: this.#options.isolation } : {}),
    });
    this.#process = sandboxed;
    this.#outputTail = '';
    const { child } = sandboxed;
    const keepTail = (chunk: Buffer) => {
      this.#outputTail = (this.#outputTail + chunk.toString('utf8')).slice(-outputTailLength);
    };
    child.stdout?.on('data', keepTail);
    child.stderr?.on('data', keepTail);
    this.#requests = child.stdio[3] as Writable;
    this.#requests.on('error', () => {
      // The process died; the exit handler reports it.
    });
    const responses = createInterface({ input: child.stdio[4] as Readable, crlfDelay: Infinity });
    responses.on('line', (line) => {
      if (this.#process !== sandboxed) return;
      let message: ExecutorMessage;
      try {
        message = JSON.parse(line) as ExecutorMessage;
      } catch {
        return;
      }
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.(message);
    });
    child.on('exit', (code, signal) => {
      sandboxed.dispose();
      // A process killed after a timeout exits later, when its successor may already be waiting.
      if (this.#process !== sandboxed) return;
      this.#process = undefined;
      this.#started = undefined;
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.({ type: 'exit', code, signal });
    });
    child.on('error', () => {
      // Spawn failures surface as an exit without a ready message.
    });
    const first = await this.#next(30_000);
    if (first?.type === 'ready') this.#started = { exports: first.exports };
    else if (first?.type === 'import-error') this.#started = { importError: first.error };
    else
      this.#started = {
        importError: {
          type: 'ExecutorStartError',
          message: `the ${language} executor did not start: ${this.#outputTail.trim() || 'no output'}`,
        },
      };
    return this.#started;
  }

  /**
   * Runs one call; never throws for anything the code under test does. `timeoutMs` overrides the executor's
   * time limit for this call (used to confirm a suspected hang with a longer budget).
   */
  async run(request: Omit<ExecutorRequest, 'type'>, timeoutMs?: number): Promise<VectorOutcome> {
    const started = await this.start();
    if ('importError' in started) {
      return {
        status: 'crash',
        exitCode: null,
        signal: null,
        output: `${started.importError.type}: ${started.importError.message}`,
      };
    }
    const startedAt = performance.now();
    this.#requests?.write(`${JSON.stringify({ type: 'run', ...request } satisfies ExecutorRequest)}\n`);
    const message = await this.#next(timeoutMs ?? this.#options.timeoutMs);
    if (message === undefined) {
      this.#kill();
      return { status: 'timeout', durationMs: performance.now() - startedAt };
    }
    if (message.type === 'result') return message.outcome;
    this.#kill();
    return {
      status: 'crash',
      exitCode: message.type === 'exit' ? message.code : null,
      signal: message.type === 'exit' ? message.signal : null,
      output: this.#outputTail.trim(),
    };
  }

  /** The per-call time limit in milliseconds. */
  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /** Kills the executor process group and removes its working directory. */
  close(): void {
    this.#kill();
  }

  #kill(): void {
    const current = this.#process;
    this.#process = undefined;
    this.#started = undefined;
    current?.dispose();
  }

  #next(timeoutMs: number): Promise<ExecutorMessage | ExitMessage | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.#waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }
}
