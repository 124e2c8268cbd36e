import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PlumbError } from '@plumb/protocol';
import type { SourceAnalysis } from '../../test-vectors/analyzed-function.ts';
import { parsePreconditions } from '../../test-vectors/parse-preconditions.ts';
import { resolvePythonInterpreter } from './resolve-python-interpreter.ts';

const analyzerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'analyze-python.py');

type RawAnalysis =
  SourceAnalysis | { error: { type: string; message: string; line: number; column: number } };

/**
 * Reads the public functions and methods of a Python file with Python's own `ast` module (the file is
 * never imported or run): annotations, defaults, Google/NumPy/reST docstrings, doctests, types inferred for
 * unannotated parameters; then applies the preconditions written in prose (see `parsePreconditions`).
 *
 * @example const analysis = await analyzePythonFile('billing/tax.py'); analysis.functions.map((fn) => fn.name)
 */
export async function analyzePythonFile(
  file: string,
  options: { pythonPath?: string; signal?: AbortSignal } = {},
): Promise<SourceAnalysis> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new PlumbError('source_not_found', `No source file at ${absolute}. Pass the path of a .py file.`, {
      param: 'file',
    });
  }
  const python = resolvePythonInterpreter(options.pythonPath);
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(python, ['-X', 'utf8', analyzerScript, absolute], {
      timeout: 30_000,
      maxBuffer: 256 * 1024 * 1024,
      ...(options.signal ? { signal: options.signal } : {}),
    }));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (failure.code === 'ENOENT' || failure.code === 'EACCES') {
      throw new PlumbError(
        'interpreter_not_found',
        `The Python interpreter "${python}" could not be run (${failure.code}). Install Python 3.9 or later, or set PLUMB_PYTHON (or --python, or engines.pythonPath) to one.`,
        { cause: error },
      );
    }
    if (failure.name === 'AbortError') throw error;
    const detail = failure.killed
      ? 'it took longer than 30 s'
      : (failure.stderr ?? '').trim().split('\n').slice(-3).join(' ');
    throw new PlumbError(
      'internal_error',
      `The Python analyser failed on ${absolute} with "${python}": ${detail || failure.message}. It needs Python 3.9 or later; set PLUMB_PYTHON to choose another interpreter.`,
      { cause: error },
    );
  }
  const raw = JSON.parse(stdout) as RawAnalysis;
  if ('error' in raw) {
    throw new PlumbError(
      'source_syntax_error',
      `Syntax error at ${absolute}:${raw.error.line}:${raw.error.column}: ${raw.error.message}. Fix the file and try again.`,
      { param: 'file' },
    );
  }
  for (const fn of raw.functions) {
    for (const parameter of fn.parameters) {
      // What the annotations said (an `int` is an integer) wins over what the prose suggests.
      parameter.constraints = {
        ...parsePreconditions(parameter.description ?? '', parameter.name, fn.summary),
        ...parameter.constraints,
      };
      if (!parameter.description) delete parameter.description;
    }
  }
  return { ...raw, file: absolute };
}
