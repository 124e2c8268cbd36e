import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { runProgram } from '../run-program.ts';

export interface CapturedProgram {
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** The program's stdin: write lines, then `end()` for end of input. */
  stdin: PassThrough;
  /** Emit `SIGINT` or `SIGTERM` here to signal the program. */
  signals: EventEmitter;
  /** Resolves with the exit code when the run ends. */
  exitCode: Promise<number>;
  /** Resolves when stdout (or stderr) matches, rejects after `timeoutMs` (default 5 s) with what was written. */
  waitForOutput(
    pattern: RegExp,
    options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number },
  ): Promise<RegExpMatchArray>;
}

/**
 * Starts `plumb <args>` in-process with in-memory stdin, stdout and stderr and an injectable signal source,
 * without waiting for it to end (for `serve` and the interactive chat).
 *
 * @example
 * const run = startCapturedProgram(['serve', '--port', '0'], { environment: {} });
 * await run.waitForOutput(/listening on (\S+)/);
 */
export function startCapturedProgram(
  args: string[],
  options: { environment?: Record<string, string | undefined>; stdinText?: string } = {},
): CapturedProgram {
  const output = { stdout: '', stderr: '' };
  const changes = new EventEmitter();
  const capture = (name: 'stdout' | 'stderr') => {
    const stream = new PassThrough();
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      output[name] += text;
      changes.emit('change');
    });
    return stream;
  };
  const stdin = new PassThrough();
  if (options.stdinText !== undefined) stdin.end(options.stdinText);
  const signals = new EventEmitter();
  const exitCode = runProgram(args, {
    stdout: capture('stdout'),
    stderr: capture('stderr'),
    stdin,
    environment: options.environment ?? {},
    signals,
  });

  return {
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    stdin,
    signals,
    exitCode,
    waitForOutput(pattern, waitOptions = {}) {
      const name = waitOptions.stream ?? 'stdout';
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output[name].match(pattern);
          if (!match) return;
          cleanUp();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanUp();
          reject(
            new Error(
              `No ${String(pattern)} on ${name} in time. stdout: ${output.stdout} stderr: ${output.stderr}`,
            ),
          );
        }, waitOptions.timeoutMs ?? 5000);
        const cleanUp = () => {
          clearTimeout(timer);
          changes.off('change', check);
        };
        changes.on('change', check);
        check();
      });
    },
  };
}

/**
 * Runs `plumb <args>` in-process to the end and returns its exit code and output.
 *
 * @example
 * const { exitCode, stdout } = await runCapturedProgram(['models', '--json'], { environment: { PLUMB_URL } });
 */
export async function runCapturedProgram(
  args: string[],
  options: { environment?: Record<string, string | undefined>; stdinText?: string } = {},
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const run = startCapturedProgram(args, { stdinText: '', ...options });
  const exitCode = await run.exitCode;
  // Let the last writes through the PassThrough streams land.
  await new Promise((resolve) => setImmediate(resolve));
  return { exitCode, stdout: run.stdout(), stderr: run.stderr() };
}
