import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyzedFunction } from './analyzed-function.ts';
import type { EncodedValue } from './encoded-value.ts';
import { emitPytest } from './emit-pytest.ts';
import type { FindingKind } from './finding.ts';
import type { TestVector, VectorClass } from './test-vector.ts';
import type { FunctionReport, TestVectorResult, VectorRun } from './test-vector-result.ts';
import type { TypeShape } from './type-shape.ts';
import type { VectorOutcome } from './vector-outcome.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, '../languages/python/testdata/emit_fixture.py');
/** Debian's interpreter: python3-pytest installs for it (the `python3` on PATH may lack pytest). */
const pytestPython = '/usr/bin/python3';
const temporary: string[] = [];
afterAll(() => temporary.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

const returned = (value: EncodedValue, extra: Partial<VectorOutcome> = {}): VectorOutcome =>
  ({ status: 'returned', value, durationMs: 0.123, mutatedArguments: [], ...extra }) as VectorOutcome;
const threw = (type: string, native = true): VectorOutcome => ({
  status: 'threw',
  error: { type, message: 'whatever the message was', native },
  durationMs: 0.5,
  mutatedArguments: [],
});

type RunSpec = {
  args: EncodedValue[];
  outcome: VectorOutcome;
  vectorClass?: VectorClass;
  finding?: FindingKind;
  expected?: TestVector['expected'];
};

function report(name: string, returns: TypeShape, specs: RunSpec[]): FunctionReport {
  const fn: AnalyzedFunction = {
    name,
    kind: name.includes('.') ? 'method' : 'function',
    isAsync: false,
    line: 1,
    column: 1,
    summary: '',
    parameters: [],
    returns: { type: returns, typeText: '' },
    throws: [],
    examples: [],
    documentsMutation: false,
    unsupported: [],
  };
  const runs: VectorRun[] = specs.map((spec, index) => {
    const id = `${name}#${index + 1}`;
    return {
      vector: {
        id,
        function: name,
        vectorClass: spec.vectorClass ?? 'typical',
        rationale: `vector ${index + 1} of ${name}\nwith a second line`,
        arguments: spec.args,
        validity: 'valid',
        ...(spec.expected ? { expected: spec.expected } : {}),
      },
      outcome: spec.outcome,
      findings: spec.finding
        ? [
            {
              kind: spec.finding,
              function: name,
              vectorId: id,
              severity: 'high',
              message: `${spec.finding} seen`,
            },
          ]
        : [],
    };
  });
  const findings = runs.flatMap((run) => run.findings);
  return {
    function: fn,
    runs,
    findings,
    counts: { vectors: runs.length, returned: 0, threw: 0, timeout: 0, crash: 0 },
  };
}

const number: TypeShape = { kind: 'number' };
const integer: TypeShape = { kind: 'number', integer: true };
const anything: TypeShape = { kind: 'any' };

/** Vectors of emit_fixture.py with the outcomes the executor reports for them. */
const result: TestVectorResult = {
  language: 'python',
  file: fixture,
  seed: 42,
  mode: 'standard',
  functions: [
    report('identity', anything, [
      { args: [{ $: 'repeat', v: 'ab', n: 1000 }], outcome: returned('ab'.repeat(1000)) },
      { args: [{ $: 'nan' }], outcome: returned({ $: 'nan' }) },
      { args: [{ $: 'infinity' }], outcome: returned({ $: 'infinity' }) },
      { args: [{ $: '-0' }], outcome: returned({ $: '-0' }) },
      { args: [{ $: 'bigint', v: '-36893488147419103232' }], outcome: returned({ $: 'bigint', v: '-36893488147419103232' }) },
      { args: [{ $: 'tuple', v: [1] }], outcome: returned({ $: 'tuple', v: [1] }) },
      { args: [{ $: 'set', v: ['b', 'a'] }], outcome: returned({ $: 'set', v: ['a', 'b'] }) },
      { args: [{ $: 'set', v: [] }], outcome: returned({ $: 'set', v: [] }) },
      { args: [{ $: 'map', v: [[{ $: 'tuple', v: [1, 2] }, 'x']] }], outcome: returned({ $: 'map', v: [[{ $: 'tuple', v: [1, 2] }, 'x']] }) },
      { args: [{ $: 'object', v: [['__proto__', 1], ['$', [2.5]]] }], outcome: returned({ $: 'object', v: [['__proto__', 1], ['$', [2.5]]] }) },
      { args: [{ $: 'object', class: 'Money', v: [['cents', 7]] }], outcome: returned({ $: 'object', class: 'Money', v: [['cents', 7], ['currency', 'EUR']] }) },
      { args: [{ $: 'array-repeat', v: 0, n: 3 }], outcome: returned([0, 0, 0]) },
      { args: [{ $: 'nested', depth: 3, leaf: 'x' }], outcome: returned([[['x']]]) },
      { args: [{ $: 'sparse', length: 3, v: [[2, true]] }], outcome: returned([null, null, true]) },
      { args: [{ $: 'date', v: '2024-02-29T00:00:00.000Z' }], outcome: returned({ $: 'date', v: '2024-02-29T00:00:00+00:00' }) },
      { args: [{ $: 'date', v: null }], outcome: returned('invalid-date') },
      { args: [{ $: 'bytes', v: 'AP8=' }], outcome: returned({ $: 'bytes', v: 'AP8=' }) },
      { args: ['\ud800 lone, e\u0301, 👍🏽, "quoted" \\ \n\u0000'], outcome: returned('\ud800 lone, e\u0301, 👍🏽, "quoted" \\ \n\u0000') },
      { args: [1e21], outcome: returned(1e21) },
      { args: [[1, { $: 'undefined' }]], outcome: returned([1, null]) },
    ]), // prettier-ignore
    report('add', integer, [
      { args: [1, 2], outcome: returned(3) },
      { args: [1, 2, 10], outcome: returned(30) },
      { args: [1, { $: 'undefined' }, 10], outcome: returned(2) },
      { args: ['a', 1], outcome: threw('TypeError'), vectorClass: 'type-confusion' },
    ]),
    report('divide', number, [
      { args: [1, 0], outcome: threw('ZeroDivisionError'), vectorClass: 'boundary', finding: 'crash' },
      { args: [1, 4], outcome: returned(0.25) },
    ]),
    report('parse', integer, [
      { args: ['12'], outcome: returned(12) },
      { args: ['x'], outcome: threw('ParseError', false) },
    ]),
    report('kinds', anything, [
      {
        args: [],
        outcome: returned([
          { $: 'tuple', v: [1, 'a'] },
          { $: 'set', v: [1, 2, 3] },
          { $: 'map', v: [[1, 'one']] },
          { $: 'object', v: [['k', null]] },
          { $: 'bigint', v: '1180591620717411303424' },
          { $: 'nan' },
          { $: '-0' },
          { $: 'bytes', v: 'AP8=' },
          { $: 'date', v: '2024-02-29' },
          { $: 'object', class: 'Money', v: [['cents', 5], ['currency', 'EUR']] },
          true,
        ]),
      },
    ]),
    report('mean', number, [
      {
        args: [[1, 2]],
        outcome: returned(1),
        vectorClass: 'example',
        finding: 'example-mismatch',
        expected: { kind: 'returns', value: 1.5 },
      },
      { args: [[]], outcome: threw('ZeroDivisionError'), vectorClass: 'collection', finding: 'undocumented-exception' },
    ]),
    report('initials', { kind: 'string' }, [
      { args: ['ada lovelace'], outcome: returned('AL') },
      { args: ['a  b'], outcome: threw('IndexError'), vectorClass: 'string', finding: 'crash' },
    ]),
    report('total', integer, [{ args: [[]], outcome: returned(null), vectorClass: 'collection', finding: 'type-violation' }]),
    report('scale', number, [{ args: [10], outcome: returned({ $: 'infinity' }), finding: 'non-finite-result' }]),
    report('dedupe', { kind: 'array', element: anything }, [
      { args: [[1, 1, 2]], outcome: returned([1, 2], { mutatedArguments: [0] }), finding: 'input-mutation' },
      { args: [[1, 2]], outcome: returned([1, 2]) },
    ]),
    report('roll', number, [{ args: [], outcome: returned(0.5, { secondValue: 0.25 }), finding: 'non-determinism' }]),
    report('spin', integer, [
      { args: [1], outcome: { status: 'timeout', durationMs: 2000 }, finding: 'hang' },
      { args: [2], outcome: { status: 'crash', exitCode: null, signal: 'SIGKILL', output: '' } },
    ]),
    report('Counter.bump', integer, [
      { args: [], outcome: returned(1) },
      { args: [5], outcome: returned(5) },
    ]),
    report('unused', anything, []),
  ], // prettier-ignore
  findings: [],
  warnings: [],
};

describe('emitPytest', () => {
  it('is deterministic and inlines the executor describer verbatim', () => {
    const files = emitPytest(result, { emitDirectory: '/project/tests/vectors' });
    expect(emitPytest(structuredClone(result), { emitDirectory: '/project/tests/vectors' })).toEqual(files);
    expect(files.map((file) => file.path)).toEqual(['/project/tests/vectors/test_emit_fixture_vectors.py']);
    const contents = files[0]?.contents ?? '';
    const executor = readFileSync(path.join(here, 'executors/python-executor.py'), 'utf8');
    const region =
      /# plumb:shared-begin\n([\s\S]*?)# plumb:shared-end/.exec(executor)?.[1]?.trimEnd() ?? 'missing';
    expect(contents).toContain(region);
    expect(contents).toContain('with seed 42');
    expect(contents).toContain('--seed 42 --emit .');
    expect(contents).not.toMatch(/0\.123|durationMs/);
    expect(contents).toContain('def test_identity_1_typical():');
    expect(contents).toContain('== "ab" * 1000');
    expect(contents).toContain('def test_Counter_bump_2_typical():');
    expect(contents).not.toContain('test_unused');
  });

  it('writes a suite that passes under pytest, with the findings as strict xfails', async () => {
    const output = await runEmittedSuite(result);
    // Findings: divide crash, mean example + exception, initials crash, total type, scale non-finite, dedupe mutation.
    expect(output).toMatch(/\b7 xfailed\b/);
    // Skipped: roll (non-determinism), spin timeout and crash.
    expect(output).toMatch(/\b3 skipped\b/);
    expect(output).toMatch(/\b32 passed\b/);
    expect(output).not.toMatch(/\d+ failed|xpassed|\d+ errors?\b/);
  }, 60_000);

  it('turns every finding red once its bug is fixed', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'plumb-emit-pytest-fixed-'));
    temporary.push(directory);
    const fixed = readFileSync(fixture, 'utf8')
      .replace('return a / b', 'return a / b if b else 0.0')
      .replace('sum(values) // len(values)', 'sum(values) / len(values) if values else 0.0')
      .replace('name.split(" ")', 'name.split()')
      .replace('if amounts else None', 'if amounts else 0')
      .replace('return x * 1e308', 'return min(x * 1e308, 1e308)')
      .replace('items.remove(item)', 'pass');
    const fixedFile = path.join(directory, 'emit_fixture.py');
    writeFileSync(fixedFile, fixed);
    const output = await runEmittedSuite({ ...result, file: fixedFile }, { expectFailure: true });
    expect(output).toMatch(/\b7 failed\b/);
    expect(output.match(/\[XPASS\(strict\)\]/g)?.length).toBe(7);
    expect(output).toMatch(/\b32 passed\b/);
  }, 60_000);
});

/** Emits `suite` into a fresh temporary directory and runs Debian's pytest on it; returns pytest's output. */
async function runEmittedSuite(
  suite: TestVectorResult,
  options: { expectFailure?: boolean } = {},
): Promise<string> {
  const directory = mkdtempSync(path.join(tmpdir(), 'plumb-emit-pytest-'));
  temporary.push(directory);
  const emitDirectory = path.join(directory, 'nested', 'tests');
  for (const file of emitPytest(suite, { emitDirectory })) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
  try {
    const { stdout } = await promisify(execFile)(
      pytestPython,
      ['-m', 'pytest', '-q', '-rX', '-p', 'no:cacheprovider', emitDirectory],
      { cwd: tmpdir(), maxBuffer: 20 * 1024 * 1024 },
    );
    return stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; code?: unknown };
    if (failure.code === 'ENOENT' || /No module named pytest/.test(failure.stderr ?? ''))
      throw new Error(`pytest is missing for ${pytestPython}: apt-get install python3-pytest`, {
        cause: error,
      });
    if (options.expectFailure && failure.code === 1) return failure.stdout ?? '';
    throw new Error(`the emitted suite failed:\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`, {
      cause: error,
    });
  }
}
