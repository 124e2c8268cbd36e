import { existsSync } from 'node:fs';

/**
 * The Python interpreter the engines run: the one given (configuration `engines.pythonPath`, the CLI's
 * `--python` or `PLUMB_PYTHON`, read by the caller), else `/usr/bin/python3` when it exists (Debian's
 * python3-pytest, python3-hypothesis and python3-debugpy install for it; the `python3` first on PATH may be
 * another one, such as pyenv's), else `python3` from PATH.
 *
 * @example resolvePythonInterpreter() // => '/usr/bin/python3' on Debian
 */
export function resolvePythonInterpreter(explicit?: string): string {
  if (explicit) return explicit;
  if (existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  return 'python3';
}
