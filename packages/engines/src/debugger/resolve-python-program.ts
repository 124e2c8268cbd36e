import { existsSync } from 'node:fs';
import path from 'node:path';
import { PlumbError } from '@plumb/protocol';
import type { LaunchOptions } from './debug-backend.ts';

/**
 * The working directory and absolute program path of a Python launch (the cwd defaults to the program's
 * folder); throws PlumbError `program_not_found` when the program does not exist. Shared by the bdb and
 * debugpy backends.
 *
 * @example resolvePythonProgram({ program: 'app/main.py' }) // => { cwd: '/work/app', program: '/work/app/main.py' }
 */
export function resolvePythonProgram(options: Pick<LaunchOptions, 'program' | 'cwd'>): {
  cwd: string;
  program: string;
} {
  const cwd = path.resolve(options.cwd ?? path.dirname(path.resolve(options.program)));
  const program = path.resolve(cwd, options.program);
  if (!existsSync(program)) {
    throw new PlumbError(
      'program_not_found',
      `No program at ${program}; pass the path of an existing .py file.`,
      { param: 'program' },
    );
  }
  return { cwd, program };
}
