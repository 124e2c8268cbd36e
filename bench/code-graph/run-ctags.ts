import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface CtagsRun {
  seconds: number;
  /** Distinct files that produced at least one tag. */
  filesWithTags: number;
  /** Tags emitted: ctags' definitions (it has no references). */
  definitions: number;
  /** ctags' complaints (`ignoring null tag`...), first few only. */
  warnings: string[];
}

export const ctagsPath = '/usr/bin/ctags';

/** Whether Debian's universal-ctags is installed where the bench expects it. */
export function ctagsAvailable(): boolean {
  return existsSync(ctagsPath);
}

/**
 * Runs universal-ctags over exactly the given files (`-L -`, paths on stdin, relative to `root`), the same
 * list Plumb indexed, so both tools see the same input whatever each would walk or ignore by itself. Output is
 * JSON lines on stdout, counted as it streams so a 10,000-file run never holds the whole output.
 *
 * @example
 * const run = await runCtags('/repo', ['src/a.ts', 'src/b.py']);
 * run.definitions; // 42
 */
export async function runCtags(root: string, files: readonly string[]): Promise<CtagsRun> {
  const started = performance.now();
  const child = spawn(
    ctagsPath,
    [
      '--languages=TypeScript,JavaScript,Python,Java,Go',
      '--output-format=json',
      '--fields=+n',
      '-f',
      '-',
      '-L',
      '-',
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let definitions = 0;
  const paths = new Set<string>();
  let partial = '';
  const warnings: string[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"_type": "tag"')) continue;
      definitions += 1;
      const match = /"path": "((?:[^"\\]|\\.)*)"/.exec(line);
      if (match?.[1] !== undefined) paths.add(match[1]);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 100_000) stderr += chunk;
  });
  child.stdin.end(`${files.join('\n')}\n`);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`ctags exited with ${code}: ${stderr.slice(0, 500)}`);
  for (const line of stderr.split('\n'))
    if (line.trim() !== '' && warnings.length < 3) warnings.push(line.trim());
  return { seconds: (performance.now() - started) / 1000, filesWithTags: paths.size, definitions, warnings };
}
