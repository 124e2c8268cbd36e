import { z } from 'zod';

/** Largest total size of the files a debug session is created with (characters). */
export const maximumDebugFilesLength = 2_000_000;

const relativePath = z
  .string()
  .min(1)
  .max(300)
  .refine(
    (value) =>
      !value.startsWith('/') &&
      !value.split(/[\\/]/).includes('..') &&
      !value.includes('\0') &&
      !/^[a-zA-Z]:/.test(value),
    { message: 'must be a relative path inside the project (no leading "/", no "..")' },
  );

/** One breakpoint, DAP-like: a line, optionally a condition, a hit count condition or a log message. */
export const debugBreakpointSchema = z.object({
  line: z.number().int().min(1).max(10_000_000),
  column: z.number().int().min(1).optional(),
  /** Stop only when this expression is truthy in the program's language. */
  condition: z.string().min(1).max(2_000).optional(),
  /** Stop on the n-th hit (`3`, `>= 3`, `% 2`). */
  hit_condition: z.string().min(1).max(100).optional(),
  /** Logpoint: print this message (`{expression}` interpolated) instead of stopping. */
  log_message: z.string().min(1).max(2_000).optional(),
});
export type DebugBreakpoint = z.infer<typeof debugBreakpointSchema>;

export const exceptionFilterSchema = z.enum(['uncaught', 'all', 'assertion']);

/**
 * The body of `POST /v3/debug/sessions`. The program and the files it needs are sent with the request and
 * written to the session's private workspace, so a session never reads the server's own files.
 */
export const createDebugSessionRequestSchema = z
  .object({
    /** The project files the program needs, by relative path. */
    files: z
      .array(z.object({ path: relativePath, content: z.string().max(maximumDebugFilesLength) }))
      .min(1, 'files is empty: send at least the program to debug, e.g. [{"path":"main.py","content":"..."}]')
      .max(500),
    /** Which of the files to run (a program or a test file): .js/.mjs/.cjs/.ts/.mts/.cts or .py. */
    program: relativePath,
    args: z.array(z.string().max(4_000)).max(100).optional(),
    /** Environment variables for the program (nothing of the server's environment reaches it). */
    environment: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid variable name'),
        z.string().max(10_000),
      )
      .optional(),
    stop_on_entry: z.boolean().optional(),
    /**
     * Python only: `bdb` (default; no dependency, fastest steps) or `debugpy` (the Debug Adapter Protocol
     * server, for programs with threads).
     */
    python_backend: z.enum(['bdb', 'debugpy']).optional(),
    /** Breakpoints by file (a path among `files`). */
    breakpoints: z
      .array(z.object({ file: relativePath, breakpoints: z.array(debugBreakpointSchema).max(200) }))
      .max(100)
      .optional(),
    exception_breakpoints: z.array(exceptionFilterSchema).max(3).optional(),
    /** How long to wait for the first stop before answering `running` (default 5000 ms). */
    wait_ms: z.number().int().min(0).max(30_000).optional(),
  })
  .refine((body) => body.files.some((file) => file.path === body.program), {
    message: 'program must be the path of one of the files sent',
    path: ['program'],
  })
  .refine((body) => body.python_backend === undefined || /\.py$/i.test(body.program), {
    message:
      'python_backend applies to Python programs (.py) only; leave it out for JavaScript and TypeScript',
    path: ['python_backend'],
  })
  .refine(
    (body) => body.files.reduce((sum, file) => sum + file.content.length, 0) <= maximumDebugFilesLength,
    {
      message: `the files together must be at most ${maximumDebugFilesLength} characters`,
      path: ['files'],
    },
  );
export type CreateDebugSessionRequest = z.infer<typeof createDebugSessionRequestSchema>;

/** `PUT /v3/debug/sessions/:id/breakpoints`: replaces the breakpoints of one file (DAP semantics). */
export const setDebugBreakpointsRequestSchema = z.object({
  file: relativePath,
  breakpoints: z.array(debugBreakpointSchema).max(200),
});
export type SetDebugBreakpointsRequest = z.infer<typeof setDebugBreakpointsRequestSchema>;

/** `PUT /v3/debug/sessions/:id/exception-breakpoints`. */
export const setExceptionBreakpointsRequestSchema = z.object({
  filters: z.array(exceptionFilterSchema).max(3),
});

export const debugCommandSchema = z.enum([
  'continue',
  'step_over',
  'step_in',
  'step_out',
  'pause',
  'wait',
  'run_to_line',
  'restart',
]);
export type DebugCommand = z.infer<typeof debugCommandSchema>;

/** `POST /v3/debug/sessions/:id/commands`. */
export const debugCommandRequestSchema = z
  .object({
    command: debugCommandSchema,
    /** For `run_to_line`: where to run to. */
    file: relativePath.optional(),
    line: z.number().int().min(1).optional(),
    /** How long to wait for the program to stop before answering `running` (default 5000 ms). */
    wait_ms: z.number().int().min(0).max(30_000).optional(),
  })
  .refine((body) => body.command !== 'run_to_line' || (body.file !== undefined && body.line !== undefined), {
    message: 'run_to_line needs "file" and "line"',
    path: ['line'],
  });
export type DebugCommandRequest = z.infer<typeof debugCommandRequestSchema>;

/** `POST /v3/debug/sessions/:id/evaluate`. */
export const debugEvaluateRequestSchema = z.object({
  expression: z.string().min(1, 'expression is empty').max(10_000),
  frame_id: z.number().int().min(0).optional(),
  timeout_ms: z.number().int().min(10).max(10_000).optional(),
});

/** `POST /v3/debug/sessions/:id/variables`: sets a variable. */
export const debugSetVariableRequestSchema = z.object({
  variables_reference: z.number().int().min(1),
  name: z.string().min(1).max(500),
  value: z.string().min(1).max(10_000),
});
