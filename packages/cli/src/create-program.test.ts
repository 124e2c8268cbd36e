import { describe, expect, it } from 'vitest';
import { plumbVersion } from '@plumb/server';
import { CommanderError } from 'commander';
import { createProgram } from './create-program.ts';
import { runCapturedProgram } from './testing/start-captured-program.ts';

describe('plumb (program)', () => {
  it('exits 2 with the message on an unknown flag', async () => {
    const result = await runCapturedProgram(['models', '--bogus']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown option '--bogus'");
    expect(result.stderr).toContain('plumb models --help');
  });

  it('exits 2 on an unknown command, a missing required flag and a malformed value', async () => {
    expect((await runCapturedProgram(['frobnicate'])).exitCode).toBe(2);
    const missingModel = await runCapturedProgram(['chat', '--once', 'hi']);
    expect(missingModel.exitCode).toBe(2);
    expect(missingModel.stderr).toContain('--model');
    expect((await runCapturedProgram(['models', '--url', 'not a url'])).exitCode).toBe(2);
    expect((await runCapturedProgram(['serve', '--port', 'eighty'])).exitCode).toBe(2);
    expect((await runCapturedProgram(['chat', '--model', 'a/b', '--session', 'nope'])).exitCode).toBe(2);
    expect((await runCapturedProgram(['chat', '--model', 'a/b', '--mode', 'poetry'])).exitCode).toBe(2);
  });

  it('prints the version and help with exit code 0', async () => {
    const version = await runCapturedProgram(['--version']);
    expect(version).toMatchObject({ exitCode: 0, stdout: `${plumbVersion}\n` });
    const help = await runCapturedProgram(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/serve[\s\S]*models[\s\S]*chat/);
  });

  it('throws a CommanderError carrying the exit code instead of exiting the process', async () => {
    const program = createProgram({ environment: {} });
    program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    for (const command of program.commands) command.configureOutput({ writeErr: () => undefined });
    const error: unknown = await program
      .parseAsync(['models', '--bogus'], { from: 'user' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(2);
  });
});
