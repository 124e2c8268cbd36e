import path from 'node:path';
import { PlumbError } from '@plumb/protocol';
import type { DebugBackend, DebugLanguage } from './debug-backend.ts';
import { createDebugpyDebugBackend } from './debugpy-debug-backend.ts';
import { createJavaScriptDebugBackend } from './javascript-debug-backend.ts';
import { createPythonDebugBackend } from './python-debug-backend.ts';

const languageByExtension: Record<string, DebugLanguage> = {
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'javascript',
  '.mts': 'javascript',
  '.cts': 'javascript',
  '.py': 'python',
};

/**
 * The debug language of a program, from its extension.
 *
 * @example debugLanguageOf('/app/test_cart.py') // => 'python'
 */
export function debugLanguageOf(program: string): DebugLanguage {
  const language = languageByExtension[path.extname(program).toLowerCase()];
  if (!language) {
    throw new PlumbError(
      'unsupported_language',
      `Cannot debug ${path.basename(program)}: supported are .js, .mjs, .cjs, .ts, .mts, .cts and .py programs.`,
      { param: 'program' },
    );
  }
  return language;
}

/** Python debug backends: `bdb` (default: no dependency, sub-millisecond steps) or `debugpy` (threads). */
export type PythonDebugBackendName = 'bdb' | 'debugpy';

/**
 * The backend for a language: the in-process V8 agent for JavaScript/TypeScript; for Python bdb, or debugpy
 * over DAP when `pythonBackend` is `debugpy` (programs with threads; needs debugpy importable by the
 * interpreter, e.g. Debian's python3-debugpy).
 *
 * @example const backend = createDebugBackend(debugLanguageOf('/app/main.ts'));
 * @example const threaded = createDebugBackend('python', { pythonBackend: 'debugpy' });
 */
export function createDebugBackend(
  language: DebugLanguage,
  options: { python?: string | undefined; pythonBackend?: PythonDebugBackendName | undefined } = {},
): DebugBackend {
  if (language !== 'python') return createJavaScriptDebugBackend();
  const python = options.python === undefined ? {} : { python: options.python };
  return options.pythonBackend === 'debugpy'
    ? createDebugpyDebugBackend(python)
    : createPythonDebugBackend(python);
}
