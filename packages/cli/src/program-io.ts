/** Where the process signals the `serve` command listens to come from (the process, or a test's emitter). */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/**
 * Everything the `plumb` command touches outside itself. Tests pass in-memory streams and an environment
 * object; the real command passes the process's own. Commands read the environment only from here.
 */
export interface ProgramIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  environment: Record<string, string | undefined>;
  /** SIGINT and SIGTERM: `serve` shuts down on them, `chat` aborts a running answer on SIGINT. */
  signals: SignalSource;
}

/**
 * Fills what the caller left out with the process's own streams, environment and signals.
 *
 * @example
 * const io = resolveProgramIo({ stdout: new PassThrough() });
 */
export function resolveProgramIo(io: Partial<ProgramIo> = {}): ProgramIo {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    // The one place the CLI reads process.env; commands get it through `io.environment`.
    environment: io.environment ?? process.env,
    signals: io.signals ?? process,
  };
}

/** Whether a stream is an interactive terminal (prompts and Ctrl-C handling only make sense there). */
export function isInteractive(stream: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return 'isTTY' in stream && stream.isTTY === true;
}
