import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The private directory a debug session's files are written to; paths in and out are relative to it. */
export interface DebugSessionWorkspace {
  readonly root: string;
  /** The absolute path of a relative project path. */
  resolve(relativePath: string): string;
  /** Rewrites every absolute workspace path inside a JSON-able value to the caller's relative path. */
  relativize<TValue>(value: TValue): TValue;
  remove(): void;
}

/**
 * Writes the files of a debug session to a fresh temporary directory (the debuggee's sandbox sees only it
 * and the runtime), so a session never reads the server's own files and two sessions never share one.
 *
 * @example
 * const workspace = createDebugSessionWorkspace([{ path: 'main.py', content: 'print(1)\n' }]);
 * workspace.resolve('main.py'); // '/tmp/plumb-debug-a1b2/main.py'
 */
export function createDebugSessionWorkspace(
  files: { path: string; content: string }[],
): DebugSessionWorkspace {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'plumb-debug-')));
  for (const file of files) {
    const target = path.join(root, file.path);
    // The protocol schema already refuses absolute paths and "..": this is the second lock on the door.
    if (!target.startsWith(`${root}${path.sep}`))
      throw new Error(`Refusing to write outside the workspace: ${file.path}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  const prefix = `${root}${path.sep}`;
  return {
    root,
    resolve: (relativePath) => path.join(root, relativePath),
    relativize(value) {
      if (value === undefined) return value;
      const text = JSON.stringify(value);
      if (!text.includes(root)) return value;
      return JSON.parse(text.split(prefix).join('').split(root).join('.')) as typeof value;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
