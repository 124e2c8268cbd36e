import { existsSync } from 'node:fs';

/**
 * The Python interpreter the engines run: the one given (configuration `engines.pythonPath` or the CLI's
 * `--python`), else `PLUMB_PYTHON`, else `/usr/bin/python3` when it exists (Debian's python3-pytest,
 * python3-hypothesis and python3-debugpy install for it, while the `python3` first on PATH may be another one,
 * such as pyenv's, without them), else `python3` from PATH.
 *
 * `environment` defaults to `process.env`: the CLI's local mode has no parsed configuration to pass
 * `PLUMB_PYTHON` through, and the error for a missing interpreter tells users to set it.
 *
 * @example resolvePythonInterpreter() // => '/usr/bin/python3' on Debian
 * @example resolvePythonInterpreter(undefined, { PLUMB_PYTHON: '/opt/py312/bin/python' }) // => '/opt/py312/bin/python'
 */
export function resolvePythonInterpreter(
  explicit?: string,
  environment: Record<string, string | undefined> = process.env,
  fileExists: (file: string) => boolean = existsSync,
): string {
  if (explicit) return explicit;
  const configured = environment.PLUMB_PYTHON?.trim();
  if (configured) return configured;
  if (fileExists('/usr/bin/python3')) return '/usr/bin/python3';
  return 'python3';
}
