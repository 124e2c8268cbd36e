import { describe, expect, it } from 'vitest';
import type { AnalyzedFunction } from './analyzed-function.ts';
import { encodedEqual, judgeRun } from './judge-run.ts';
import type { TestVector } from './test-vector.ts';
import type { VectorOutcome } from './vector-outcome.ts';

const fn: AnalyzedFunction = {
  name: 'render',
  kind: 'function',
  isAsync: false,
  line: 1,
  column: 1,
  summary: 'Renders a greeting.',
  parameters: [
    {
      name: 'name',
      type: { kind: 'string' },
      typeText: 'string',
      optional: false,
      hasDefault: false,
      rest: false,
      constraints: {},
    },
  ],
  returns: { type: { kind: 'string' }, typeText: 'string' },
  throws: [{ type: 'RangeError', description: 'when name is too long' }],
  examples: [],
  documentsMutation: false,
  unsupported: [],
};
const vector = (overrides: Partial<TestVector> = {}): TestVector => ({
  id: 'render#1',
  function: 'render',
  vectorClass: 'string',
  rationale: 'test',
  arguments: ['x'],
  validity: 'valid',
  ...overrides,
});
const returned = (
  value: VectorOutcome extends infer O
    ? O extends { status: 'returned'; value: infer V }
      ? V
      : never
    : never,
  extra: object = {},
): VectorOutcome => ({
  status: 'returned',
  value,
  durationMs: 1,
  mutatedArguments: [],
  ...extra,
});
const kinds = (outcome: VectorOutcome, overrides: Partial<TestVector> = {}, target = fn) =>
  judgeRun(target, vector(overrides), outcome, 'typescript').findings.map((finding) => finding.kind);

describe('judgeRun', () => {
  it('finds hangs and process crashes on valid input, and only notes them outside the contract', () => {
    expect(kinds({ status: 'timeout', durationMs: 2000 })).toEqual(['hang']);
    expect(kinds({ status: 'crash', exitCode: 134, signal: null, output: 'heap out of memory' })).toEqual([
      'crash',
    ]);
    const outside = judgeRun(
      fn,
      vector({ validity: 'robustness' }),
      { status: 'timeout', durationMs: 2000 },
      'typescript',
    );
    expect(outside.findings).toEqual([]);
    expect(outside.robustnessNote).toMatch(/outside the contract/);
  });

  it('tells runtime crashes, documented exceptions and undocumented ones apart', () => {
    const threw = (type: string, native: boolean): VectorOutcome => ({
      status: 'threw',
      error: { type, message: 'm', native },
      durationMs: 1,
      mutatedArguments: [],
    });
    expect(kinds(threw('TypeError', true))).toEqual(['crash']);
    expect(kinds(threw('RangeError', false))).toEqual([]);
    expect(kinds(threw('Error', false))).toEqual(['undocumented-exception']);
    expect(
      kinds(threw('RangeError', false), {}, { ...fn, throws: [{ type: 'Error', description: '' }] }),
    ).toEqual([]);
    expect(
      kinds(threw('SyntaxError', false), {}, { ...fn, throws: [{ type: 'RangeError', description: '' }] }),
    ).toEqual(['undocumented-exception']);
    expect(kinds(threw('TypeError', true), { validity: 'robustness' })).toEqual([]);
  });

  it('checks documented examples, including expected exceptions', () => {
    const expectsHello = {
      expected: { kind: 'returns' as const, value: 'hello' },
      vectorClass: 'example' as const,
    };
    expect(kinds(returned('hello'), expectsHello)).toEqual([]);
    expect(kinds(returned('hullo'), expectsHello)).toEqual(['example-mismatch']);
    expect(
      kinds(returned('x'), { expected: { kind: 'throws', errorType: 'RangeError' }, vectorClass: 'example' }),
    ).toEqual(['example-mismatch']);
  });

  it('checks the declared return type, finiteness and unicode well-formedness', () => {
    expect(kinds(returned({ $: 'undefined' }))).toEqual(['type-violation']);
    const numeric = { ...fn, returns: { type: { kind: 'number' as const }, typeText: 'number' } };
    expect(kinds(returned({ $: 'nan' }), { arguments: ['x'] }, numeric)).toEqual(['non-finite-result']);
    expect(kinds(returned({ $: 'nan' }), { arguments: [{ $: 'nan' }] }, numeric)).toEqual([]);
    expect(kinds(returned('\uD83D'), { arguments: ['👍'] })).toEqual(['malformed-unicode']);
    expect(kinds(returned('\uD83D'), { arguments: ['\uD83D'] })).toEqual([]);
  });

  it('finds injection payloads reflected unescaped into SQL, HTML and shell commands', () => {
    const security = { vectorClass: 'security' as const };
    expect(
      kinds(returned("SELECT * FROM users WHERE name = '' OR '1'='1'"), {
        ...security,
        arguments: ["' OR '1'='1"],
      }),
    ).toEqual(['injection-reflection']);
    expect(
      kinds(returned("SELECT * FROM users WHERE name = ''' OR ''1''=''1'"), {
        ...security,
        arguments: ["' OR '1'='1"],
      }),
    ).toEqual([]);
    expect(
      kinds(returned('<p>Hello <script>alert(1)</script></p>'), {
        ...security,
        arguments: ['<script>alert(1)</script>'],
      }),
    ).toEqual(['injection-reflection']);
    expect(
      kinds(returned('<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;</p>'), {
        ...security,
        arguments: ['<script>alert(1)</script>'],
      }),
    ).toEqual([]);
    expect(
      kinds(returned('convert ; rm -rf / # out.png'), { ...security, arguments: ['; rm -rf / #'] }),
    ).toEqual(['injection-reflection']);
    const shell = (output: string, payload: string) =>
      kinds(returned(output), { vectorClass: 'security', arguments: [payload] });
    expect(shell("convert '; rm -rf / #' out.png", '; rm -rf / #')).toEqual([]);
    expect(shell("convert ''\\''; rm -rf / #' out.png", "'; rm -rf / #")).toEqual([]);
    expect(shell('convert "$(id)" out.png', '$(id)')).toEqual(['injection-reflection']);
    expect(
      kinds(returned('<p><b>../../../etc/passwd</b></p>'), {
        vectorClass: 'security',
        arguments: ['../../../etc/passwd'],
      }),
    ).toEqual([]);
  });

  it('finds prototype pollution whatever the input, and path traversal payloads kept in paths', () => {
    expect(kinds(returned('x', { prototypePollution: ['polluted'] }), { validity: 'robustness' })).toEqual([
      'prototype-pollution',
    ]);
    const traversal = { vectorClass: 'security' as const, arguments: ['/srv/files', '../../../etc/passwd'] };
    expect(kinds(returned('/srv/files/../../../etc/passwd'), traversal)).toEqual(['injection-reflection']);
    expect(kinds(returned('/srv/files/etc/passwd'), traversal)).toEqual([]);
  });

  it('finds non-determinism and input mutation unless the docs allow them', () => {
    expect(kinds(returned('a', { secondValue: 'b' }))).toEqual(['non-determinism']);
    expect(kinds(returned('a', { secondValue: 'b' }), {}, { ...fn, name: 'randomName' })).toEqual([]);
    expect(kinds(returned('a', { mutatedArguments: [0] }))).toEqual(['input-mutation']);
    expect(kinds(returned('a', { mutatedArguments: [0] }), {}, { ...fn, documentsMutation: true })).toEqual(
      [],
    );
  });

  it('flags slow calls on small inputs as suspected ReDoS', () => {
    expect(kinds({ status: 'returned', value: 'x', durationMs: 900, mutatedArguments: [] })).toEqual([
      'slow',
    ]);
  });
});

describe('encodedEqual', () => {
  it('compares floats to 12 significant digits and tagged values structurally', () => {
    expect(encodedEqual(0.30000000000000004, 0.3)).toBe(true);
    expect(encodedEqual(0.31, 0.3)).toBe(false);
    expect(
      encodedEqual(
        {
          $: 'object',
          v: [
            ['a', 1],
            ['b', 2],
          ],
        },
        {
          $: 'object',
          v: [
            ['b', 2],
            ['a', 1],
          ],
        },
      ),
    ).toBe(true);
    expect(encodedEqual({ $: 'nan' }, { $: 'nan' })).toBe(true);
  });
});
