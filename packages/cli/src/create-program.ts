import { Command, CommanderError } from 'commander';
import { plumbVersion } from '@plumb/server';
import { createChatCommand } from './commands/chat-command.ts';
import { createClientsCommand } from './commands/clients-command.ts';
import { createDebugCommand } from './commands/debug/debug-command.ts';
import { createDepsCommand } from './commands/deps-command.ts';
import { createExplainCommand } from './commands/explain-command.ts';
import { createArchCommand } from './commands/arch-command.ts';
import { createKeysCommand } from './commands/keys-command.ts';
import { createLimitsCommand } from './commands/limits-command.ts';
import { createLoginCommand } from './commands/login-command.ts';
import { createModelsCommand } from './commands/models-command.ts';
import { createReviewCommand } from './commands/review-command.ts';
import { createServeCommand } from './commands/serve-command.ts';
import { createUsageCommand } from './commands/usage-command.ts';
import { createUsersCommand } from './commands/users-command.ts';
import { createVectorsCommand } from './commands/vectors-command.ts';
import { exitCodes } from './fail-command.ts';
import { resolveProgramIo, type ProgramIo } from './program-io.ts';

/**
 * Builds the `plumb` command. Nothing here exits the process: commander's exits become thrown
 * `CommanderError`s (`exitOverride`) whose `exitCode` follows the CLI convention (0 ok, 1 failure, 2 usage
 * error), and all output goes to `io`, so tests drive it with in-memory streams. `runProgram` turns a run
 * into an exit code.
 *
 * @example
 * const program = createProgram({ stdout, stderr, environment: { PLUMB_URL: server.url } });
 * await program.parseAsync(['models', '--json'], { from: 'user' });
 */
export function createProgram(partialIo: Partial<ProgramIo> = {}): Command {
  const io = resolveProgramIo(partialIo);
  const program = new Command('plumb')
    .description('Plumb: a self-hosted, model-agnostic code-model platform.')
    .version(plumbVersion, '-v, --version', 'print the version')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 failure or findings, 2 usage error.\nRemote commands talk to PLUMB_URL (default http://127.0.0.1:8080) with PLUMB_API_KEY.',
    );
  program.addCommand(createServeCommand(io));
  program.addCommand(createModelsCommand(io));
  program.addCommand(createChatCommand(io));
  program.addCommand(createClientsCommand(io));
  program.addCommand(createUsersCommand(io));
  program.addCommand(createLoginCommand(io));
  program.addCommand(createKeysCommand(io));
  program.addCommand(createUsageCommand(io));
  program.addCommand(createLimitsCommand(io));
  program.addCommand(createVectorsCommand(io));
  program.addCommand(createReviewCommand(io));
  program.addCommand(createDebugCommand(io));
  program.addCommand(createDepsCommand(io));
  program.addCommand(createExplainCommand(io));
  program.addCommand(createArchCommand(io));
  configureTree(program, io);
  return program;
}

/** `addCommand` does not pass settings down, so every command of the tree gets them here. */
function configureTree(command: Command, io: ProgramIo): void {
  command
    .exitOverride(toConventionalExit)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError(`(run "${commandPath(command)} --help" for usage)`);
  for (const subcommand of command.commands) configureTree(subcommand, io);
}

/** Commander reports its own usage errors with exit code 1; the CLI convention says 2. */
function toConventionalExit(error: CommanderError): never {
  if (error.exitCode !== 0 && error.code.startsWith('commander.')) {
    throw new CommanderError(exitCodes.usage, error.code, error.message);
  }
  throw error;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}
