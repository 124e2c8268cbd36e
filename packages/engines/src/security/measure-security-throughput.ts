// Measures the security engine's speed on a realistic multi-language tree (issue 6 performance targets):
// whole-project scan in lines/s with all rules, incremental re-scan of one changed file with the cache, and
// scanSource on a 200-line generated answer.
//
//   node --import tsx packages/engines/src/security/measure-security-throughput.ts [--lines 60000] [--keep]
//
// The tree is built in a temporary folder from real code on this machine: the labeled security corpus, this
// repository's own TypeScript sources, JavaScript from installed npm packages and Python's standard library.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecurityRules } from './load-security-rules.ts';
import { scanProject, type SecurityScanCache } from './scan-project.ts';
import { scanSource } from './scan-source.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, '../../../..');

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

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

/** Copy real source files into `target` until about `lineBudget` lines; returns the line count per language. */
function buildTree(target: string, lineBudget: number): Record<string, number> {
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

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const lineBudget = argument('--lines', 80_000);
const root = mkdtempSync(path.join(os.tmpdir(), 'plumb-security-throughput-'));
try {
  const composition = buildTree(root, lineBudget);
  const rules = loadSecurityRules();
  console.log(`tree: ${root}`);
  console.log(
    `composition (lines): ${JSON.stringify(composition)}; rules: ${rules.length}; cores: ${os.cpus().length}`,
  );

  // Warm-up on a small part (loads the parsers and compiles the rules once), then the measured cold scan.
  await scanProject({ root: path.join(root, 'corpus') });
  const cache: SecurityScanCache = new Map();
  const started = performance.now();
  const full = await scanProject({ root, cache });
  const fullSeconds = (performance.now() - started) / 1000;
  const linesPerSecond = full.linesScanned / fullSeconds;
  console.log(
    `full scan: ${full.filesScanned} files, ${full.linesScanned} lines, ${full.findings.length} findings, ` +
      `${fullSeconds.toFixed(2)} s -> ${Math.round(linesPerSecond)} lines/s (target >= 50000)`,
  );

  // Incremental: change one file, scan again with the cache.
  const changed = listFiles(path.join(root, 'javascript'), /\.js$/, 1)[0]!;
  const incremental: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    writeFileSync(changed, `${readFileSync(changed, 'utf8')}\n// edit ${round}\n`);
    const time = performance.now();
    await scanProject({ root, cache });
    incremental.push(performance.now() - time);
  }
  console.log(
    `incremental re-scan (1 changed file, cache): median ${median(incremental).toFixed(1)} ms (target < 100 ms)`,
  );

  // A 200-line generated answer (an Express service) scanned as a fragment.
  const handler = [
    "app.get('/items/:id', async (req, res) => {",
    '  const id = Number(req.params.id);',
    "  const rows = await db.query('SELECT * FROM items WHERE id = $1', [id]);",
    '  if (rows.length === 0) return res.status(404).json({ error: "not found" });',
    '  res.json(rows[0]);',
    '});',
  ];
  const snippetLines: string[] = ["const express = require('express');", 'const app = express();'];
  while (snippetLines.length < 198)
    snippetLines.push(...handler.map((line) => line.replaceAll('items', `items${snippetLines.length}`)));
  snippetLines.push("app.get('/run', (req, res) => { eval(req.query.code); });", 'app.listen(3000);');
  const snippet = snippetLines.slice(0, 200).join('\n');
  const snippetTimes: number[] = [];
  for (let round = 0; round < 7; round += 1) {
    const time = performance.now();
    scanSource({ code: snippet, language: 'javascript' });
    snippetTimes.push(performance.now() - time);
  }
  console.log(
    `scanSource on a 200-line snippet: median ${median(snippetTimes).toFixed(1)} ms (target < 50 ms)`,
  );
} finally {
  if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
}
