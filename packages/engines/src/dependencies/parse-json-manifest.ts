import { PlumbError } from '@plumb/protocol';
import { lineAndColumn } from './json-member-positions.ts';

/**
 * `JSON.parse` that turns a syntax error into `manifest_invalid` with the file, line and column.
 *
 * @example parseJsonManifest('{"name":"a"}', 'package.json') // => { name: 'a' }
 */
export function parseJsonManifest(content: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const offset = position === undefined ? content.length : Number(position);
    const { line, column } = lineAndColumn(content, offset);
    throw new PlumbError(
      'manifest_invalid',
      `${file}:${line}:${column}: not valid JSON (${message}). Fix the syntax there (a missing comma or quote, a trailing comma, or a comment) and check again.`,
      { param: `${file}:${line}:${column}`, cause: error },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PlumbError(
      'manifest_invalid',
      `${file}:1:1: the top level must be a JSON object ({ ... }), not ${Array.isArray(value) ? 'an array' : typeof value}.`,
      { param: `${file}:1:1` },
    );
  return value as Record<string, unknown>;
}
