import { PlumbError } from '@plumb/protocol';
import type { ServerTool } from './debug-sessions/create-debugger-tools.ts';

/**
 * Runs one of Plumb's own tools for a model's tool call (debugger verbs, explain). Arguments that are not
 * JSON and failures of the tool become an `{ error: { code, message } }` result the model can read and act on,
 * never a failed request.
 *
 * @example const { input, result } = await runServerTool(tools, call);
 */
export async function runServerTool(
  tools: ReadonlyMap<string, ServerTool>,
  call: { function: { name: string; arguments: string } },
): Promise<{ input: Record<string, unknown>; result: unknown }> {
  let input: Record<string, unknown> = {};
  try {
    input = JSON.parse(call.function.arguments || '{}') as Record<string, unknown>;
    return { input, result: await tools.get(call.function.name)?.execute(input) };
  } catch (error) {
    return {
      input,
      result: {
        error: {
          code: error instanceof PlumbError ? error.code : 'invalid_request',
          message: error instanceof Error ? error.message : String(error),
        },
      },
    };
  }
}
