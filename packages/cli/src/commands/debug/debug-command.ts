import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parse as parseShellWords } from 'shell-quote';
import { localize, runToFailure } from '@plumb/engines';
import { PlumbError } from '@plumb/protocol';
import { exitCodes, failCommand } from '../../fail-command.ts';
import type { ProgramIo } from '../../program-io.ts';
import { addRemoteOptions, type RemoteOptions } from '../remote-options.ts';
import { createLocalDebugDriver } from './create-local-debug-driver.ts';
import { createRemoteDebugDriver } from './create-remote-debug-driver.ts';
import { debugHelp, parseLocation, runDebugRepl } from './run-debug-repl.ts';

interface DebugOptions extends RemoteOptions {
  break?: string[];
  session?: string;
  attach?: string;
  python?: string;
  pythonBackend?: 'bdb' | 'debugpy';
}

/**
 * `plumb debug`: an interactive terminal debugger on Plumb's debug engine (`plumb debug cart.py --break
 * cart.py:4`), on a program already running under `node --inspect` (`--attach 127.0.0.1:9229`), or on a server's
 * debug session (`--session dbg_...`); `plumb debug failure <program>` runs to the
 * first failure and prints every user frame's locals; `plumb debug localize --test "..."` ranks the lines most
 * likely to hold the bug.
 *
 * @example program.addCommand(createDebugCommand(io));
 */
export function createDebugCommand(io: ProgramIo): Command {
  const command = addRemoteOptions(
    new Command('debug')
      .description(
        'Debug a JS/TS or Python program interactively (break, continue, next, step, out, print, locals, where, quit).',
      )
      .argument('[program]', 'the program or test file to run (.js/.ts/.py); omit with --session or --attach')
      .argument('[args...]', 'arguments for the program')
      .option('-b, --break <file:line>', 'a breakpoint before the program starts; repeatable', collect)
      .option('--session <id>', 'drive a debug session on a Plumb server instead (see --url, --api-key)')
      .option(
        '--attach <address>',
        'attach to a JS/TS program already running under node --inspect: host:port, http://host:port or its ws:// URL (loopback only); quit detaches and leaves it running',
      )
      .option(
        '--python <path>',
        'Python interpreter (default: PLUMB_PYTHON, else /usr/bin/python3, else python3)',
      )
      .addOption(
        new Option(
          '--python-backend <name>',
          'Python debugger: bdb (default, fastest steps) or debugpy (programs with threads)',
        ).choices(['bdb', 'debugpy']),
      )
      .addHelpText('after', `\n${debugHelp}`),
    io.environment,
  ).action(async (program: string | undefined, args: string[], options: DebugOptions, self: Command) => {
    if (!program && !options.session && !options.attach) {
      failCommand(
        self,
        'error invalid_request: name a program to debug, --attach <host:port> for a running node --inspect program, or --session <id> for a server session.',
        {
          exitCode: exitCodes.usage,
        },
      );
    }
    if (options.attach && (program || options.session)) {
      failCommand(
        self,
        'error invalid_request: --attach takes the running program as it is; give no program and no --session with it.',
        { exitCode: exitCodes.usage },
      );
    }
    const breakpoints = new Map<string, number[]>();
    for (const text of options.break ?? []) {
      let location;
      try {
        location = parseLocation(text, program);
      } catch (error) {
        failCommand(self, `error invalid_request: --break ${(error as Error).message}`, {
          exitCode: exitCodes.usage,
        });
      }
      breakpoints.set(location.file, [...(breakpoints.get(location.file) ?? []), location.line]);
    }
    const python = options.python ?? io.environment.PLUMB_PYTHON;
    const driver = options.session
      ? createRemoteDebugDriver({
          url: options.url,
          sessionId: options.session,
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        })
      : createLocalDebugDriver({
          ...(options.attach ? { attach: options.attach } : { program: program ?? '', args }),
          breakpoints,
          ...(python ? { python } : {}),
          ...(options.pythonBackend ? { pythonBackend: options.pythonBackend } : {}),
        });
    try {
      await runDebugRepl({
        io,
        driver,
        ...(program ? { initialFile: path.resolve(program) } : {}),
        initialBreakpoints: breakpoints,
      });
    } catch (error) {
      if (error instanceof PlumbError) failCommand(self, `error ${error.code}: ${error.message}`);
      if (error instanceof Error && error.message.startsWith('error ')) failCommand(self, error.message);
      throw error;
    } finally {
      await driver.close();
    }
  });

  command.addCommand(
    new Command('failure')
      .description(
        'Run a program or test file to its first uncaught exception or failing assertion; print every user frame with its locals.',
      )
      .argument('<program>', 'the program or test file')
      .argument('[args...]', 'arguments for it')
      .option('--json', 'print the JSON result')
      .option('--timeout <ms>', 'give up after this long (default 30000)', parseInteger)
      .action(
        async (
          program: string,
          args: string[],
          options: { json?: boolean; timeout?: number },
          self: Command,
        ) => {
          const python = io.environment.PLUMB_PYTHON;
          let result;
          try {
            result = await runToFailure({
              program: path.resolve(program),
              args,
              cwd: process.cwd(),
              ...(options.timeout !== undefined ? { timeoutMilliseconds: options.timeout } : {}),
              ...(python ? { python } : {}),
            });
          } catch (error) {
            if (error instanceof PlumbError) failCommand(self, `error ${error.code}: ${error.message}`);
            throw error;
          }
          if (options.json ?? self.parent?.opts()?.json) {
            io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          } else {
            io.stdout.write(
              `${result.status}${result.exception ? `: ${result.exception.type}: ${result.exception.message}` : ''}\n`,
            );
            for (const frame of result.frames) {
              io.stdout.write(
                `  ${frame.name} at ${frame.file ? path.relative(process.cwd(), frame.file) : '?'}:${frame.line}\n${frame.locals.map((local) => `    ${local.name} = ${local.value}`).join('\n')}\n`,
              );
            }
            for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
          }
          if (result.status !== 'passed')
            failCommand(
              self,
              `the program ${result.status === 'failed' ? 'failed' : 'timed out'} (exit code 1).`,
            );
        },
      ),
  );

  command.addCommand(
    new Command('localize')
      .description(
        'Run failing and passing tests under line coverage and rank the lines most likely to hold the bug (Ochiai).',
      )
      .requiredOption(
        '--test <command>',
        'a test to run: "<test file> [args]" (e.g. "test_cart.py test_total"); repeatable',
        collect,
      )
      .option('--source <file>', 'only rank lines of these files; repeatable', collect)
      .option('--limit <n>', 'lines to show (default 10)', parseInteger)
      .option('--json', 'print the JSON result')
      .action(
        async (
          options: { test: string[]; source?: string[]; limit?: number; json?: boolean },
          self: Command,
        ) => {
          const tests = options.test.map((text) => {
            const words = parseShellWords(text).filter((word): word is string => typeof word === 'string');
            const [file, ...args] = words;
            if (!file)
              failCommand(self, `error invalid_request: --test "${text}" names no test file.`, {
                exitCode: exitCodes.usage,
              });
            return { name: text, program: path.resolve(file), args };
          });
          const python = io.environment.PLUMB_PYTHON;
          let result;
          try {
            result = await localize({
              tests,
              cwd: process.cwd(),
              ...(options.source ? { sourceFiles: options.source.map((file) => path.resolve(file)) } : {}),
              ...(options.limit !== undefined ? { limit: options.limit } : {}),
              ...(python ? { python } : {}),
            });
          } catch (error) {
            if (error instanceof PlumbError) failCommand(self, `error ${error.code}: ${error.message}`);
            throw error;
          }
          // `--json` also belongs to `plumb debug` itself, which commander gives it to.
          if (options.json ?? self.parent?.opts()?.json) {
            io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
            return;
          }
          io.stdout.write(
            `tests: ${result.tests.map((test) => `${test.name} ${test.passed ? 'passed' : test.timedOut ? 'timed out' : 'FAILED'}`).join('; ')}\n`,
          );
          result.lines.forEach((line, index) => {
            io.stdout.write(
              `${String(index + 1).padStart(2)}. ${path.relative(process.cwd(), line.file)}:${line.line}  score ${line.score.toFixed(3)}  (rank ${line.rank})\n`,
            );
          });
          for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
        },
      ),
  );
  return command;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a non-negative integer.');
  return parsed;
}
