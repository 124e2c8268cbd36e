import { CommanderError, type Command } from 'commander';

/** Exit codes of every `plumb` command (ARCHITECTURE.md, CLI conventions). */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * Ends a command with a message on stderr and an exit code: `failure` (1) when the work failed or found
 * problems, `usage` (2) when what the user asked for cannot be understood (bad flags, bad configuration).
 * Throws a `CommanderError` (as commander's own exits do under `exitOverride`) after writing the message
 * through the command's configured error output, without commander's "see --help" hint: the usage was fine.
 *
 * @example
 * failCommand(command, 'error model_not_found: No model "x/y".', { exitCode: exitCodes.failure });
 */
export function failCommand(
  command: Command,
  message: string,
  options: { exitCode?: typeof exitCodes.failure | typeof exitCodes.usage } = {},
): never {
  const exitCode = options.exitCode ?? exitCodes.failure;
  command.configureOutput().writeErr?.(`${message}\n`);
  throw new CommanderError(exitCode, exitCode === exitCodes.usage ? 'plumb.usage' : 'plumb.failure', message);
}
