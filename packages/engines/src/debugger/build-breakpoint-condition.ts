import type { DebugProtocol } from '@vscode/debugprotocol';
import { PlumbError } from '@plumb/protocol';

/**
 * Turns a DAP breakpoint (condition, hit condition, log message) into one V8 breakpoint condition, which V8
 * evaluates in the paused frame: hit counts live in the debuggee (`__plumbHits`), and a logpoint prints through
 * the agent's `__plumbLogpoint` and answers `false`, so it never stops. Both helpers are installed by the agent.
 *
 * @example buildBreakpointCondition({ line: 3, hitCondition: '>= 2' }, 7) // => "(true) && ((globalThis.__plumbHits[7] = ...) >= 2)"
 */
export function buildBreakpointCondition(
  breakpoint: DebugProtocol.SourceBreakpoint,
  id: number,
): string | undefined {
  const { condition, hitCondition, logMessage } = breakpoint;
  if (!condition && !hitCondition && logMessage === undefined) return undefined;
  let expression = condition ? `(${condition})` : '(true)';
  if (hitCondition) {
    const match = /^\s*(>=|<=|==|===|>|<|%)?\s*(\d+)\s*$/.exec(hitCondition);
    if (!match) {
      throw new PlumbError(
        'breakpoint_invalid',
        `Hit condition ${JSON.stringify(hitCondition)} is not understood; use a number, optionally after >, >=, <, <=, == or %.`,
        { param: 'hitCondition' },
      );
    }
    const count = `(globalThis.__plumbHits[${id}] = (globalThis.__plumbHits[${id}] ?? 0) + 1)`;
    const operator = match[1] === '===' || !match[1] ? '===' : match[1];
    expression +=
      operator === '%' ? ` && (${count} % ${match[2]} === 0)` : ` && (${count} ${operator} ${match[2]})`;
  }
  if (logMessage !== undefined)
    expression += ` && (globalThis.__plumbLogpoint(${toTemplate(logMessage)}), false)`;
  return expression;
}

/** `x is {x}` -> a template literal that formats each `{expression}` like console.log does. */
function toTemplate(message: string): string {
  const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  let output = '';
  let index = 0;
  for (const match of message.matchAll(/\{([^{}]+)\}/g)) {
    output += escape(message.slice(index, match.index)) + '${globalThis.__plumbFormat(' + match[1] + ')}';
    index = match.index + match[0].length;
  }
  return '`' + output + escape(message.slice(index)) + '`';
}
