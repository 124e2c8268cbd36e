import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePythonInterpreter } from '../languages/python/resolve-python-interpreter.ts';
import { emitPytest } from './emit-pytest.ts';
import { generateTestVectors } from './generate-test-vectors.ts';
import type { TestVectorResult } from './test-vector-result.ts';
import { VectorExecutor } from './vector-executor.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const buggy = path.join(here, 'testdata/text_tools_buggy.py');
const correct = path.join(here, 'testdata/text_tools_correct.py');
const python = resolvePythonInterpreter();
const temporary: string[] = [];
afterAll(() => temporary.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

describe('Python executor', () => {
  const executor = new VectorExecutor({
    language: 'python',
    modulePath: buggy,
    pythonPath: python,
    timeoutMs: 2_000,
  });
  afterAll(() => executor.close());
  const run = (fn: string, args: unknown[], repeat: 1 | 2 = 1) =>
    executor.run({ id: fn, function: fn, arguments: args as never, repeat });

  it('lists functions, returns encoded values and decodes dataclass arguments', async () => {
    expect(await executor.start()).toEqual({ exports: ['mean', 'initials', 'dedupe', 'total'] });
    expect(await run('mean', [[1, 2, 3]])).toMatchObject({ status: 'returned', value: 2 });
    expect(await run('total', [[{ $: 'object', class: 'Money', v: [['cents', 250]] }]])).toMatchObject({
      status: 'returned',
      value: 250,
    });
    expect(await run('mean', [[{ $: 'infinity' }, 1]])).toMatchObject({
      status: 'returned',
      value: { $: 'infinity' },
    });
    expect(await run('initials', [{ $: 'repeat', v: 'x', n: 3 }])).toMatchObject({
      status: 'returned',
      value: 'X',
    });
  });

  it('tells runtime errors from deliberate raises, and reports mutation', async () => {
    expect(await run('mean', [[]])).toMatchObject({
      status: 'threw',
      error: { type: 'ZeroDivisionError', native: true },
    });
    expect(await run('initials', ['a  b'])).toMatchObject({
      status: 'threw',
      error: { type: 'IndexError', native: true },
    });
    expect(await run('dedupe', [[1, 1, 2]])).toMatchObject({
      status: 'returned',
      value: [1, 2],
      mutatedArguments: [0],
    });
  });

  it('reports a module that exits on import', async () => {
    const broken = new VectorExecutor({
      language: 'python',
      modulePath: path.join(here, 'testdata/exits_on_import.py'),
      pythonPath: python,
    });
    try {
      expect(await broken.start()).toEqual({
        importError: { type: 'SystemExit', message: 'this module cannot be loaded' },
      });
    } finally {
      broken.close();
    }
  });
});

describe('generateTestVectors on Python', () => {
  let result: TestVectorResult;

  it('exposes the seeded bugs and stays quiet on the correct twins', async () => {
    result = await generateTestVectors({ file: buggy, seed: 3, timeoutMs: 2_000, pythonPath: python });
    const kinds = Object.fromEntries(
      result.functions.map((report) => [
        report.function.name,
        new Set(report.findings.map((finding) => finding.kind)),
      ]),
    );
    expect(kinds.mean?.has('example-mismatch') || kinds.mean?.has('crash')).toBe(true);
    expect(kinds.initials?.has('crash')).toBe(true);
    expect(kinds.dedupe?.has('input-mutation')).toBe(true);
    expect(kinds.total?.has('type-violation') || kinds.total?.has('example-mismatch')).toBe(true);
    const clean = await generateTestVectors({ file: correct, seed: 3, timeoutMs: 2_000, pythonPath: python });
    expect(clean.findings).toEqual([]);
  }, 60_000);

  it('emits a deterministic pytest suite that passes as emitted', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'plumb-pytest-'));
    temporary.push(directory);
    const emitDirectory = path.join(directory, 'tests');
    const files = emitPytest(result, { emitDirectory });
    expect(emitPytest(result, { emitDirectory })).toEqual(files);
    for (const file of files) {
      mkdirSync(path.dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.contents);
    }
    let output: string;
    try {
      output = (
        await promisify(execFile)(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', emitDirectory], {
          cwd: directory,
          maxBuffer: 20 * 1024 * 1024,
        })
      ).stdout;
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string };
      if (/No module named pytest/.test(failure.stderr ?? ''))
        throw new Error(`pytest is missing for ${python}: apt-get install python3-pytest`, { cause: error });
      throw new Error(`the emitted suite failed:\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`, {
        cause: error,
      });
    }
    expect(output).toMatch(/\d+ passed/);
    expect(output).toMatch(/\d+ xfailed/);
    expect(output).not.toMatch(/failed,|\d+ failed/);
  }, 60_000);
});
