import type { StopResult } from '@plumb/engines';
import { PlumbError, type FunctionTool } from '@plumb/protocol';
import type { DebugSessionService, DebugSessionView } from './create-debug-session-service.ts';

/** A tool Plumb runs itself when the model calls it. */
export interface ServerTool {
  definition: FunctionTool;
  execute(input: Record<string, unknown>): Promise<unknown>;
}

/** The largest tool answer handed back to the model (characters of JSON). */
const maximumResultLength = 8_000;

const noArguments = { type: 'object', properties: {}, additionalProperties: false };

/**
 * The debugger verbs as tools for a model working on one debug session: steps, continue, run to line,
 * breakpoints, evaluate, variables and the stack. Answers are compact (the stop snapshot, bounded), so a tool
 * round costs little context; every call goes through the session service (owner checks, journal, replay).
 *
 * @example
 * const tools = createDebuggerTools({ debugSessions, sessionId: 'dbg_...', owner });
 * await tools.get('debug_step')?.execute({ kind: 'over' });
 */
export function createDebuggerTools(options: {
  debugSessions: DebugSessionService;
  sessionId: string;
  owner: string | null;
}): Map<string, ServerTool> {
  const { debugSessions, sessionId, owner } = options;
  const stopOf = (view: DebugSessionView) => compactStop(view.stop);
  const tools: ServerTool[] = [
    {
      definition: tool(
        'debug_step',
        'Step the paused program: over the current line, into a call, or out of the function.',
        {
          type: 'object',
          properties: { kind: { type: 'string', enum: ['over', 'in', 'out'] } },
          required: ['kind'],
        },
      ),
      async execute(input) {
        const kind = input.kind === 'in' ? 'step_in' : input.kind === 'out' ? 'step_out' : 'step_over';
        return stopOf(await debugSessions.command(sessionId, owner, { command: kind }));
      },
    },
    {
      definition: tool(
        'debug_continue',
        'Run until the next breakpoint, exception or the end of the program.',
        noArguments,
      ),
      async execute() {
        return stopOf(await debugSessions.command(sessionId, owner, { command: 'continue' }));
      },
    },
    {
      definition: tool('debug_run_to_line', 'Run until a line of a file is reached.', {
        type: 'object',
        properties: { file: { type: 'string' }, line: { type: 'integer', minimum: 1 } },
        required: ['file', 'line'],
      }),
      async execute(input) {
        return stopOf(
          await debugSessions.command(sessionId, owner, {
            command: 'run_to_line',
            file: requireString(input.file, 'file'),
            line: requireInteger(input.line, 'line'),
          }),
        );
      },
    },
    {
      definition: tool(
        'debug_set_breakpoints',
        "Replace a file's breakpoints (an empty list removes them).",
        {
          type: 'object',
          properties: {
            file: { type: 'string' },
            lines: { type: 'array', items: { type: 'integer', minimum: 1 } },
            condition: { type: 'string', description: 'optional: stop only when this expression is true' },
          },
          required: ['file', 'lines'],
        },
      ),
      async execute(input) {
        const lines = Array.isArray(input.lines)
          ? input.lines.map((line) => requireInteger(line, 'lines'))
          : [];
        const condition =
          typeof input.condition === 'string' && input.condition !== '' ? input.condition : undefined;
        return debugSessions.setBreakpoints(sessionId, owner, {
          file: requireString(input.file, 'file'),
          breakpoints: lines.map((line) => ({ line, ...(condition ? { condition } : {}) })),
        });
      },
    },
    {
      definition: tool(
        'debug_evaluate',
        'Evaluate an expression in the paused frame (default: the top frame).',
        {
          type: 'object',
          properties: { expression: { type: 'string' }, frame_id: { type: 'integer', minimum: 0 } },
          required: ['expression'],
        },
      ),
      async execute(input) {
        return debugSessions.evaluate(sessionId, owner, {
          expression: requireString(input.expression, 'expression'),
          ...(typeof input.frame_id === 'number' ? { frameId: input.frame_id } : {}),
        });
      },
    },
    {
      definition: tool('debug_variables', 'Expand a structured value: its children by variablesReference.', {
        type: 'object',
        properties: { variables_reference: { type: 'integer', minimum: 1 } },
        required: ['variables_reference'],
      }),
      async execute(input) {
        return debugSessions.variables(sessionId, owner, {
          variablesReference: requireInteger(input.variables_reference, 'variables_reference'),
          count: 50,
        });
      },
    },
    {
      definition: tool('debug_stack', 'The call stack of the paused program.', noArguments),
      async execute() {
        return debugSessions.stackTrace(sessionId, owner);
      },
    },
  ];
  return new Map(tools.map((entry) => [entry.definition.function.name, entry]));
}

/** The tool answer as the model sees it: JSON, bounded. */
export function toToolResultText(result: unknown): string {
  const text = JSON.stringify(result);
  return text.length <= maximumResultLength ? text : `${text.slice(0, maximumResultLength)}... (truncated)`;
}

/** A snapshot for the model: where, why, the source around it, the locals and the stack, nothing else. */
export function compactStop(stop: StopResult | null): unknown {
  if (!stop) return { status: 'running' };
  if (stop.status !== 'stopped') return stop;
  const { snapshot } = stop;
  return {
    status: 'stopped',
    reason: snapshot.reason,
    ...(snapshot.description ? { description: snapshot.description } : {}),
    location: snapshot.location,
    source: snapshot.source,
    locals: snapshot.locals,
    callStack: snapshot.callStack.map((frame) => `${frame.name} ${frame.file ?? '?'}:${frame.line}`),
    recentOutput: snapshot.recentOutput,
  };
}

function tool(name: string, description: string, parameters: Record<string, unknown>): FunctionTool {
  return { type: 'function', function: { name, description, parameters } };
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new PlumbError('invalid_request', `The tool argument "${name}" must be a non-empty string.`, {
      param: name,
    });
  }
  return value;
}

function requireInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new PlumbError('invalid_request', `The tool argument "${name}" must be a non-negative integer.`, {
      param: name,
    });
  }
  return value;
}
