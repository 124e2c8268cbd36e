import { CommanderError } from 'commander';
import { createProgram } from './create-program.ts';
import { exitCodes } from './fail-command.ts';
import { resolveProgramIo, type ProgramIo } from './program-io.ts';

/**
 * Runs `plumb` with the given arguments (without `node` and the script) and resolves with the exit code
 * instead of exiting: 0 ok, 1 failure, 2 usage error. Errors no command expected are reported on stderr
 * with exit code 1.
 *
 * @example
 * process.exit(await runProgram(process.argv.slice(2)));
 */
export async function runProgram(
  args: readonly string[],
  partialIo: Partial<ProgramIo> = {},
): Promise<number> {
  const io = resolveProgramIo(partialIo);
  const program = createProgram(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.failure;
  }
}
