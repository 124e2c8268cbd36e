import path from 'node:path';
import { PlumbError } from '@plumb/protocol';
import type { SourceAnalysis } from './analyzed-function.ts';
import { analyzeTypeScriptFile } from '../languages/typescript/analyze-typescript-file.ts';

const javaScriptFamily = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

/** File extensions the test-vector engine reads. */
export const supportedExtensions = [...javaScriptFamily, '.py'];

/**
 * Picks the analyser by file extension: the TypeScript compiler API for TS/JS, Python's `ast` for `.py`.
 *
 * @example (await analyzeSourceFile('src/slugify.ts')).language // => 'typescript'
 */
export async function analyzeSourceFile(
  file: string,
  options: { pythonPath?: string } = {},
): Promise<SourceAnalysis> {
  const extension = path.extname(file).toLowerCase();
  if (javaScriptFamily.has(extension)) return analyzeTypeScriptFile(file);
  if (extension === '.py') {
    // Loaded on demand: TypeScript-only users never pay for the Python side.
    const { analyzePythonFile } = await import('../languages/python/analyze-python-file.ts');
    return analyzePythonFile(file, options.pythonPath ? { pythonPath: options.pythonPath } : {});
  }
  throw new PlumbError(
    'unsupported_language',
    `Cannot generate test vectors for "${path.basename(file)}": supported files are ${supportedExtensions.join(', ')}.`,
    { param: 'file' },
  );
}
