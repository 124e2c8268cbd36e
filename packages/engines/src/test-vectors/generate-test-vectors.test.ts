import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { detectIsolation } from '../sandbox/detect-isolation.ts';
import { emitVitest } from './emit-vitest.ts';
import { generateTestVectors } from './generate-test-vectors.ts';
import type { TestVectorResult } from './test-vector-result.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, '../../../..');
const buggy = path.join(here, 'testdata/text-tools-buggy.ts');
const correct = path.join(here, 'testdata/text-tools-correct.ts');
const temporary: string[] = [];
afterAll(() => temporary.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

const kindsByFunction = (result: TestVectorResult) =>
  Object.fromEntries(
    result.functions.map((report) => [
      report.function.name,
      [...new Set(report.findings.map((finding) => finding.kind))].sort(),
    ]),
  );

describe('generateTestVectors', () => {
  let buggyResult: TestVectorResult;

  it('exposes seeded bugs through the oracles', async () => {
    buggyResult = await generateTestVectors({ file: buggy, seed: 7, timeoutMs: 1_000 });
    const kinds = kindsByFunction(buggyResult);
    expect(kinds.truncate).toContain('malformed-unicode');
    expect(kinds.mean).toContain('non-finite-result');
    expect(kinds.sortNumbers).toEqual(expect.arrayContaining(['input-mutation', 'metamorphic']));
    expect(kinds.pageCount).toContain('example-mismatch');
    expect(buggyResult.findings.length).toBe(
      buggyResult.functions.reduce((sum, report) => sum + report.findings.length, 0),
    );
  });

  it('raises no finding on the correct twins, and labels out-of-contract vectors as robustness', async () => {
    const result = await generateTestVectors({ file: correct, seed: 7, timeoutMs: 1_000 });
    expect(result.findings).toEqual([]);
    const mean = result.functions.find((report) => report.function.name === 'mean');
    expect(mean?.runs.some((run) => run.vector.validity === 'robustness' && run.robustnessNote)).toBe(true);
  });

  it('is reproducible: same seed, same vectors', async () => {
    const again = await generateTestVectors({
      file: buggy,
      seed: 7,
      timeoutMs: 1_000,
      functions: ['truncate'],
    });
    const first = buggyResult.functions.find((report) => report.function.name === 'truncate');
    expect(again.functions[0]?.runs.map((run) => run.vector)).toEqual(first?.runs.map((run) => run.vector));
  });

  it('emits byte-identical files from two separate runs with the same seed', async () => {
    const first = await generateTestVectors({ file: correct, seed: 11, timeoutMs: 1_000 });
    const second = await generateTestVectors({ file: correct, seed: 11, timeoutMs: 1_000 });
    expect(emitVitest(second, { emitDirectory: here })).toEqual(emitVitest(first, { emitDirectory: here }));
  });

  it('reports every divergence from a reference implementation (differential mode)', async () => {
    const result = await generateTestVectors({
      file: buggy,
      referenceFile: correct,
      seed: 7,
      timeoutMs: 1_000,
    });
    expect(result.mode).toBe('differential');
    for (const report of result.functions) {
      expect(
        report.findings.some((finding) => finding.kind === 'divergence'),
        report.function.name,
      ).toBe(true);
    }
  });

  it('compares against a baseline taken on a known-good version (regression mode)', async () => {
    const baseline = await generateTestVectors({
      file: correct,
      seed: 3,
      timeoutMs: 1_000,
      functions: ['pageCount'],
    });
    const result = await generateTestVectors({
      file: buggy,
      seed: 3,
      timeoutMs: 1_000,
      functions: ['pageCount'],
      baseline,
    });
    expect(result.mode).toBe('regression');
    expect(result.findings.filter((finding) => finding.kind === 'regression').length).toBeGreaterThan(0);
  });

  it('names the available functions when one is not found', async () => {
    await expect(generateTestVectors({ file: buggy, functions: ['nope'] })).rejects.toMatchObject({
      code: 'function_not_found',
      message: expect.stringContaining('Available: truncate, mean, sortNumbers, pageCount') as unknown,
    });
  });

  it('reports modules that throw on import, missing files and unsupported languages', async () => {
    await expect(
      generateTestVectors({ file: path.join(here, 'testdata/throws-on-import.ts') }),
    ).rejects.toMatchObject({ code: 'source_import_failed' });
    await expect(generateTestVectors({ file: path.join(here, 'testdata/missing.ts') })).rejects.toMatchObject(
      { code: 'source_not_found' },
    );
    await expect(generateTestVectors({ file: path.join(here, 'testdata/notes.txt') })).rejects.toMatchObject({
      code: 'unsupported_language',
    });
  });

  it('contains hangs: a function that never returns costs only its vectors', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'plumb-hang-'));
    temporary.push(directory);
    const file = path.join(directory, 'hang.ts');
    writeFileSync(file, 'export function wait(n: number): number {\n  while (n !== 3) {}\n  return n;\n}\n');
    const result = await generateTestVectors({ file, seed: 1, timeoutMs: 300, budget: 12, propertyRuns: 0 });
    const report = result.functions[0];
    expect(report?.counts.timeout).toBeGreaterThan(0);
    expect(report?.counts.returned).toBeGreaterThan(0);
    expect(result.findings.some((finding) => finding.kind === 'hang')).toBe(true);
    // Every timeout restarts the executor, and the first is confirmed with a longer budget: on a loaded
    // machine that is many seconds, which is what the generous limit is for.
  }, 120_000);

  it('contains hostile code: file writes, recursion bombs and memory hogs', async () => {
    const functions =
      detectIsolation() === 'bubblewrap' ? ['scribble', 'recurse', 'hoard'] : ['recurse', 'hoard'];
    const result = await generateTestVectors({
      file: path.join(here, 'testdata/hostile.ts'),
      functions,
      seed: 1,
      timeoutMs: 3_000,
      budget: 3,
      propertyRuns: 0,
    });
    const report = (name: string) => result.functions.find((entry) => entry.function.name === name);
    if (detectIsolation() === 'bubblewrap') {
      // Read-only outside the sandbox's own directory: the write fails and nothing lands next to the module.
      expect(report('scribble')?.runs[0]?.outcome).toMatchObject({
        status: 'threw',
        error: { type: 'Error', message: expect.stringMatching(/EROFS|read-only/) as unknown },
      });
      expect(readdirSync(path.join(here, 'testdata')).filter((name) => name.startsWith('scribble-'))).toEqual(
        [],
      );
    }
    expect(report('recurse')?.runs[0]?.outcome).toMatchObject({
      status: 'threw',
      error: { type: 'RangeError', native: true },
    });
    expect(
      report('hoard')?.runs.every(
        (run) => run.outcome.status === 'crash' || run.outcome.status === 'timeout',
      ),
    ).toBe(true);
  }, 60_000);

  it('emits a deterministic Vitest suite that passes as emitted', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'plumb-emit-'));
    temporary.push(directory);
    const emitDirectory = path.join(directory, 'test');
    const first = emitVitest(buggyResult, { emitDirectory });
    const second = emitVitest(buggyResult, { emitDirectory });
    expect(second).toEqual(first);
    for (const file of first) {
      mkdirSync(path.dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.contents);
    }
    const suite = first[0]?.contents ?? '';
    expect(suite).toContain('it.fails(');
    expect(suite).not.toMatch(/durationMs/);
    symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(directory, 'node_modules'));
    // A project of its own: without a config here, Vitest would pick up the repository's.
    writeFileSync(
      path.join(directory, 'vitest.config.mjs'),
      "export default { test: { include: ['**/*.test.ts'] } };\n",
    );
    const vitest = path.join(repositoryRoot, 'node_modules/vitest/vitest.mjs');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [vitest, 'run', '--root', directory, '--reporter', 'dot'],
      {
        cwd: directory,
        env: { ...process.env, CI: 'true' },
        maxBuffer: 20 * 1024 * 1024,
      },
    );
    expect(stdout).toMatch(/Tests\s+.*passed.*expected fail/);
    expect(stdout).not.toMatch(/\d+ failed/);
  }, 60_000);
});
