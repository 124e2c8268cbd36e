import path from 'node:path';
import { PlumbError } from '@plumb/protocol';
import type { DebugBackend, DebugLanguage } from './debug-backend.ts';
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

/**
 * The default backend for a language: the in-process V8 agent for JavaScript/TypeScript, bdb for Python.
 *
 * @example const backend = createDebugBackend(debugLanguageOf('/app/main.ts'));
 */
export function createDebugBackend(language: DebugLanguage, options: { python?: string } = {}): DebugBackend {
  return language === 'python' ? createPythonDebugBackend(options) : createJavaScriptDebugBackend();
}
