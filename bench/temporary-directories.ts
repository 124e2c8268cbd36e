import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created = new Set<string>();

/**
 * Creates a directory under the OS temporary directory and remembers it, so that
 * `removeTemporaryDirectories` can delete it even when the bench is interrupted.
 *
 * @example
 * const dataDirectory = createTemporaryDirectory('plumb-bench-');
 */
export function createTemporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  created.add(directory);
  return directory;
}

/**
 * Deletes every directory made by `createTemporaryDirectory` (or only `directory`), synchronously so it can
 * run in a `process.on('exit')` handler.
 *
 * @example
 * process.on('exit', () => removeTemporaryDirectories());
 */
export function removeTemporaryDirectories(directory?: string): void {
  for (const path of directory === undefined ? [...created] : [directory]) {
    rmSync(path, { recursive: true, force: true });
    created.delete(path);
  }
}
