// The realistic project tree of the security speed benchmark (see buildSourceTree).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function listFiles(root: string, extensions: RegExp, limit: number): string[] {
  const found: string[] = [];
  const walk = (directory: string): void => {
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true }).sort((left, right) =>
        left.name.localeCompare(right.name),
      );
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= limit) return;
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!['test', 'tests', '__pycache__', '.git'].includes(entry.name)) walk(absolute);
      } else if (extensions.test(entry.name) && !/\.min\.js$|\.d\.ts$/.test(entry.name)) {
        const size = statSync(absolute).size;
        if (size > 200 && size < 120_000) found.push(absolute);
      }
    }
  };
  walk(root);
  return found;
}

/**
 * Build a realistic project in `target` from real code on this machine until about `lineBudget` lines: the
 * labeled security corpus (10 %), this repository's TypeScript sources (35 %), JavaScript of installed npm
 * packages (30 %) and Python's standard library (25 %), repeated in numbered copies when a source runs out.
 * Returns the line count per part. Unlike a tree of corpus copies (every file a vulnerability or its
 * look-alike, 14 lines each), most of it is ordinary code, as in the projects people scan.
 *
 * @example buildSourceTree('/tmp/tree', 80_000) // => { corpus: 8027, typescript: 28056, javascript: 24471, python: 21542 }
 */
export function buildSourceTree(target: string, lineBudget: number): Record<string, number> {
  const sources: { label: string; files: string[]; share: number }[] = [
    {
      label: 'corpus',
      files: listFiles(
        path.join(repositoryRoot, 'packages/engines/fixtures/security'),
        /\.(js|jsx|ts|py|java)$/,
        1000,
      ),
      share: 0.1,
    },
    {
      label: 'typescript',
      files: listFiles(path.join(repositoryRoot, 'packages'), /\.ts$/, 2000).filter(
        (file) => !file.includes('node_modules') && !file.includes('fixtures') && !file.includes('testdata'),
      ),
      share: 0.35,
    },
    {
      label: 'javascript',
      files: [
        'fastify',
        'express',
        'yaml',
        'semver',
        'commander',
        'ajv',
        'debug',
        'cookies',
        'acorn',
      ].flatMap((name) => listFiles(path.join(repositoryRoot, 'node_modules', name), /\.(js|cjs|mjs)$/, 400)),
      share: 0.3,
    },
    {
      label: 'python',
      files: ['json', 'http', 'email', 'urllib', 'logging', 'xml', 'sqlite3', 'asyncio'].flatMap((name) =>
        listFiles(path.join('/usr/lib/python3.11', name), /\.py$/, 400),
      ),
      share: 0.25,
    },
  ];
  const lines: Record<string, number> = {};
  for (const source of sources) {
    let budget = Math.round(lineBudget * source.share);
    let index = 0;
    // Repeat the source's files (in numbered copies) until its share of the budget is met.
    while (budget > 0 && source.files.length > 0) {
      const file = source.files[index % source.files.length]!;
      const copy = Math.floor(index / source.files.length);
      // Flattened names: build-output folder names (dist, build) in the source paths would be skipped.
      const destination = path.join(
        target,
        source.label,
        `copy${copy}`,
        `${String(index % source.files.length).padStart(4, '0')}-${path.basename(file)}`,
      );
      mkdirSync(path.dirname(destination), { recursive: true });
      copyFileSync(file, destination);
      const count = readFileSync(file, 'utf8').split('\n').length;
      lines[source.label] = (lines[source.label] ?? 0) + count;
      budget -= count;
      index += 1;
    }
  }
  writeFileSync(path.join(target, '.gitignore'), 'ignored-build/\n');
  return lines;
}
