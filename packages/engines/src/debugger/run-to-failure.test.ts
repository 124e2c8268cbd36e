import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runToFailure } from './run-to-failure.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/debugger/run-to-failure', import.meta.url));
const pytest = '/usr/bin/pytest-3';

describe('runToFailure', () => {
  it('stops at an assertion that node:test catches, with the test’s locals', async () => {
    const result = await runToFailure({ program: `${fixtures}/node-test-math.test.ts` });
    expect(result).toMatchObject({ status: 'failed', exception: { type: 'AssertionError' } });
    expect(result.frames[0]).toMatchObject({ line: 10, locals: [{ name: 'sum', value: '-1' }] });
  });

  it.skipIf(!existsSync(pytest))(
    'stops at a failing pytest assertion, without pytest’s temporaries',
    async () => {
      const result = await runToFailure({
        language: 'python',
        program: pytest,
        args: ['-q', '-p', 'no:cacheprovider', `${fixtures}/test_pytest_calc.py`],
        cwd: fixtures,
      });
      expect(result).toMatchObject({ status: 'failed', exception: { type: 'AssertionError' } });
      expect(result.frames[0]).toMatchObject({
        name: 'test_add',
        line: 7,
        locals: [{ name: 'total', value: '-1' }],
      });
    },
  );

  it('reports a passing program as passed', async () => {
    const program = fileURLToPath(
      new URL('../../fixtures/debugger/contract/python/basic.py', import.meta.url),
    );
    expect(await runToFailure({ program })).toMatchObject({ status: 'passed', frames: [] });
  });
});
