import { createInterface } from 'node:readline/promises';
import type { StopResult } from '@plumb/engines';
import { isInteractive, type ProgramIo } from '../../program-io.ts';
import type { DebugDriver } from './debug-driver.ts';
import { formatStop } from './format-stop.ts';

export const debugHelp = `Commands:
  break <file:line | line>   add a breakpoint (a bare line is in the current file)
  clear <file:line | line>   remove a breakpoint
  continue | c               run to the next breakpoint or the end
  next | n                   step over
  step | s                   step into
  out | o                    step out of the current function
  pause                      interrupt the running program
  print | p <expression>     evaluate in the current frame
  locals | l                 the current frame's locals
  where | bt                 the call stack
  quit | q                   leave (a local program is ended; an attached one is detached from and runs on)
`;

const stepCommands = {
  continue: 'continue',
  c: 'continue',
  next: 'step_over',
  n: 'step_over',
  step: 'step_in',
  s: 'step_in',
  out: 'step_out',
  o: 'step_out',
  finish: 'step_out',
  pause: 'pause',
} as const;

/**
 * The interactive loop of `plumb debug`: reads one command per line from `io.stdin`, runs it on the driver and
 * prints the result. End of input or `quit` leaves; errors are printed and the loop goes on.
 *
 * @example await runDebugRepl({ io, driver, initialFile: 'cart.py' });
 */
export async function runDebugRepl(options: {
  io: ProgramIo;
  driver: DebugDriver;
  initialFile?: string;
  initialBreakpoints?: Map<string, number[]>;
}): Promise<StopResult> {
  const { io, driver } = options;
  const interactive = isInteractive(io.stdin) && isInteractive(io.stdout);
  const readline = createInterface({
    input: io.stdin,
    ...(interactive ? { output: io.stdout, terminal: true } : { terminal: false }),
  });
  // Lines that arrive while the program starts must wait, not be dropped: iterate from the start.
  const lines = readline[Symbol.asyncIterator]();
  const breakpoints = new Map(options.initialBreakpoints ?? []);
  let stop = await driver.start();
  let currentFile = stop.status === 'stopped' ? stop.snapshot.location.file : options.initialFile;
  io.stdout.write(formatStop(stop));
  readline.setPrompt('(plumb) ');
  if (interactive) readline.prompt();
  try {
    for await (const line of { [Symbol.asyncIterator]: () => lines }) {
      const [word = '', ...rest] = line.trim().split(/\s+/);
      const argument = rest.join(' ');
      try {
        if (word === 'quit' || word === 'q' || word === 'exit') break;
        if (word === '' || word === 'help' || word === 'h') {
          if (word !== '') io.stdout.write(debugHelp);
        } else if (word in stepCommands) {
          if (stop.status === 'terminated') {
            io.stdout.write('the program has ended; quit and start again.\n');
          } else {
            stop = await driver.command(stepCommands[word as keyof typeof stepCommands]);
            if (stop.status === 'stopped') currentFile = stop.snapshot.location.file;
            io.stdout.write(formatStop(stop));
          }
        } else if (word === 'break' || word === 'b' || word === 'clear') {
          const location = parseLocation(argument, currentFile);
          const lines = new Set(breakpoints.get(location.file) ?? []);
          if (word === 'clear') lines.delete(location.line);
          else lines.add(location.line);
          breakpoints.set(location.file, [...lines]);
          const bound = await driver.setBreakpoints(location.file, [...lines]);
          for (const breakpoint of bound) {
            io.stdout.write(
              `breakpoint ${location.file}:${breakpoint.line}${breakpoint.verified ? '' : ' (not bound yet)'}${breakpoint.message ? ` — ${breakpoint.message}` : ''}\n`,
            );
          }
          if (bound.length === 0) io.stdout.write(`no breakpoints left in ${location.file}\n`);
        } else if (word === 'print' || word === 'p') {
          io.stdout.write(`${await driver.evaluate(argument)}\n`);
        } else if (word === 'locals' || word === 'l') {
          const locals = stop.status === 'stopped' ? stop.snapshot.locals : [];
          io.stdout.write(
            locals.length === 0
              ? 'no locals\n'
              : `${locals.map((local) => `${local.name} = ${local.value}`).join('\n')}\n`,
          );
        } else if (word === 'where' || word === 'bt' || word === 'backtrace') {
          const frames = await driver.stack();
          io.stdout.write(
            `${frames.map((frame, index) => `#${index} ${frame.name} at ${frame.file ?? '?'}:${frame.line}`).join('\n')}\n`,
          );
        } else {
          io.stdout.write(`unknown command "${word}"; type help\n`);
        }
      } catch (error) {
        io.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
      }
      if (interactive) readline.prompt();
    }
  } finally {
    readline.close();
  }
  return stop;
}

/** `file:line` or a bare `line` (in the current file). */
export function parseLocation(text: string, currentFile: string | undefined): { file: string; line: number } {
  const match = /^(?:(.+):)?(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`expected file:line or a line number, got "${text}"`);
  const file = match[1] ?? currentFile;
  if (!file) throw new Error('no current file yet: give file:line');
  return { file, line: Number(match[2]) };
}
