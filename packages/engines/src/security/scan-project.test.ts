import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBaseline } from './baseline.ts';
import { astGrepBinary } from './find-candidate-rules.ts';
import { scanProject, type SecurityScanCache } from './scan-project.ts';

const vulnerableJs = "app.get('/run', (req, res) => { eval(req.query.code); });\n";
const vulnerablePy =
  'import os\nfrom flask import request\n@app.get("/x")\ndef x():\n    os.system("ls " + request.args["d"])\n';

let root: string;

function write(relative: string, text: string): string {
  const absolute = path.join(root, relative);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, text);
  return absolute;
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumb-scan-project-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('scanProject', () => {
  it('scans every supported language and reports paths relative to the root', async () => {
    write('src/app.js', vulnerableJs);
    write('api/views.py', vulnerablePy);
    write('README.md', 'eval(req.query.code)');
    const result = await scanProject({ root });
    expect(result.findings.map((finding) => `${finding.file}:${finding.ruleId}`).sort()).toEqual([
      'api/views.py:py-command-injection',
      'src/app.js:js-code-injection',
    ]);
    expect(result.filesScanned).toBe(2);
    expect(result.linesScanned).toBe(2 + 6);
  });

  it('honours .gitignore (names, anchored paths, folders, globs) and skips vendored and built folders', async () => {
    write('.gitignore', '# generated\nsecret-build/\n/local.js\n*.gen.js\n');
    write('secret-build/x.js', vulnerableJs);
    write('local.js', vulnerableJs);
    write('nested/local.js', vulnerableJs);
    write('src/schema.gen.js', vulnerableJs);
    for (const folder of [
      'node_modules/pkg',
      'dist',
      'build',
      'vendor',
      '.venv/lib',
      '__pycache__',
      'coverage',
    ])
      write(`${folder}/x.js`, vulnerableJs);
    write('lib/app.min.js', vulnerableJs);
    const result = await scanProject({ root });
    expect(result.findings.map((finding) => finding.file)).toEqual(['nested/local.js']);
  });

  it('applies include and exclude globs', async () => {
    write('src/a.js', vulnerableJs);
    write('src/deep/b.js', vulnerableJs);
    write('test/c.js', vulnerableJs);
    const result = await scanProject({ root, include: ['src/**'], exclude: ['src/deep/*'] });
    expect(result.findings.map((finding) => finding.file)).toEqual(['src/a.js']);
  });

  it('skips files over 1 MB and minified-looking files with a warning or silently', async () => {
    write('big.js', `${vulnerableJs}${'// padding\n'.repeat(110_000)}`);
    write('bundle.js', `${'x'.repeat(5000)}\n${vulnerableJs}`);
    write('ok.js', vulnerableJs);
    const result = await scanProject({ root });
    expect(result.findings.map((finding) => finding.file)).toEqual(['ok.js']);
    expect(result.warnings.some((warning) => warning.startsWith('big.js:') && warning.includes('1 MB'))).toBe(
      true,
    );
  });

  it('reuses cached results for unchanged files and rescans changed ones', async () => {
    const changed = write('a.js', vulnerableJs);
    write('b.js', vulnerableJs);
    const cache: SecurityScanCache = new Map();
    const first = await scanProject({ root, cache });
    expect(first.findings).toHaveLength(2);
    const cachedB = cache.get('b.js')!.findings;

    writeFileSync(changed, `// edited\n${vulnerableJs}const safe = 1;\n`);
    utimesSync(changed, new Date(), new Date(Date.now() + 5000));
    const second = await scanProject({ root, cache });
    expect(cache.get('b.js')!.findings).toBe(cachedB);
    expect(second.findings.map((finding) => `${finding.file}:${finding.line}`).sort()).toEqual([
      'a.js:2',
      'b.js:1',
    ]);
    expect(second.linesScanned).toBe(first.linesScanned + 2);
  });

  it('drops findings in a baseline and returns nothing for an empty or missing folder', async () => {
    write('a.js', vulnerableJs);
    const first = await scanProject({ root });
    expect(first.findings).toHaveLength(1);
    const second = await scanProject({ root, baseline: createBaseline(first.findings) });
    expect(second.findings).toEqual([]);
    const missing = await scanProject({ root: path.join(root, 'does-not-exist') });
    expect(missing.findings).toEqual([]);
    expect(missing.filesScanned).toBe(0);
  });

  it.each([
    ['the ast-grep CLI pass', true],
    ['worker threads when they can start, in-process otherwise', false],
  ])(
    'scans a large change set (%s) with the same results',
    async (_name, astGrepCli) => {
      const filler = 'export function helper(value) {\n  return String(value).trim();\n}\n'.repeat(220);
      for (let index = 0; index < 40; index += 1)
        write(
          `src/module${index}.js`,
          `${filler}app.get('/r${index}', (req, res) => { eval(req.query.code); });\n`,
        );
      const cache: SecurityScanCache = new Map();
      const result = await scanProject({ root, cache, astGrepCli });
      expect(result.warnings).toEqual([]);
      expect(result.filesScanned).toBe(40);
      expect(result.findings).toHaveLength(40);
      expect(new Set(result.findings.map((finding) => finding.file)).size).toBe(40);
      expect(
        result.findings.every((finding) => finding.ruleId === 'js-code-injection' && finding.line === 661),
      ).toBe(true);
      expect(cache.size).toBe(40);
    },
    60_000,
  );

  it('finds the same as the in-process scan when the ast-grep CLI pass runs first (whole labeled corpus plus edge cases)', async () => {
    expect(
      astGrepBinary(),
      '@ast-grep/cli is a dependency: npm install puts its binary in place',
    ).not.toBeNull();
    cpSync(path.join(import.meta.dirname, '../../fixtures/security'), path.join(root, 'corpus'), {
      recursive: true,
    });
    // Files the CLI pass must hand to the exact scan whole: parse errors, indented Python, Go, glob characters.
    write('edge/broken.js', "app.get('/x', (req, res) => { eval(req.query.code) ;;; ) }\n");
    write('edge/indented.py', '    import os\n    os.system("ls " + input())\n');
    write('edge/main.go', 'package main\nfunc main() {}\n');
    write('edge/[id].js', vulnerableJs);
    write('edge/suppressed.js', `// plumb-ignore js-code-injection\n${vulnerableJs}`);
    const withCli = await scanProject({ root });
    const inProcess = await scanProject({ root, astGrepCli: false });
    expect(withCli.filesScanned).toBeGreaterThan(300);
    expect(withCli.warnings.filter((warning) => warning.includes('ast-grep'))).toEqual([]);
    expect(withCli.findings.length).toBeGreaterThan(150);
    expect(withCli.findings).toEqual(inProcess.findings);
    expect(withCli.warnings).toEqual(inProcess.warnings);
    expect(withCli.findings.some((finding) => finding.file === 'edge/[id].js')).toBe(true);
  }, 120_000);
});
