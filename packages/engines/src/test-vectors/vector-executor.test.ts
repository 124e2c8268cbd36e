import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { VectorExecutor } from './vector-executor.ts';

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const executor = new VectorExecutor({
  language: 'typescript',
  modulePath: path.join(testdata, 'behaviours.ts'),
  pythonPath: 'python3',
  timeoutMs: 1_500,
});
afterAll(() => executor.close());

const run = (fn: string, args: unknown[], repeat: 1 | 2 = 1) =>
  executor.run({ id: fn, function: fn, arguments: args as never, repeat });

describe('VectorExecutor (Node executor)', () => {
  it('lists the callables of the module', async () => {
    const started = await executor.start();
    expect(started).toEqual({
      exports: expect.arrayContaining(['add', 'first', 'Counter.total', 'Counter.zero', 'count']) as unknown,
    });
  });

  it('returns values, including every special value in encoded form', async () => {
    expect(await run('add', [1, 2])).toMatchObject({ status: 'returned', value: 3, mutatedArguments: [] });
    const described = await run('describeAll', []);
    expect(described).toMatchObject({
      status: 'returned',
      value: [
        { $: 'nan' },
        { $: '-0' },
        { $: 'infinity' },
        { $: 'bigint', v: '10' },
        { $: 'undefined' },
        { $: 'date', v: '1970-01-01T00:00:00.000Z' },
        { $: 'set', v: [1] },
        { $: 'map', v: [['a', 1]] },
        {
          $: 'object',
          v: [
            ['name', 'loop'],
            ['self', { $: 'cycle' }],
          ],
        },
        '\uD800',
      ],
    });
  });

  it('tells runtime crashes from deliberate throws', async () => {
    expect(await run('first', [[]])).toMatchObject({
      status: 'threw',
      error: { type: 'TypeError', native: true },
    });
    expect(await run('checked', [-1])).toMatchObject({
      status: 'threw',
      error: { type: 'RangeError', message: 'value must be non-negative', native: false },
    });
  });

  it('reports mutated arguments and non-deterministic results', async () => {
    expect(await run('sortInPlace', [[3, 1, 2]])).toMatchObject({
      status: 'returned',
      value: [1, 2, 3],
      mutatedArguments: [0],
    });
    const rolled = await run('roll', [], 2);
    expect(rolled.status === 'returned' && rolled.secondValue !== undefined).toBe(true);
    expect(await run('add', [1, 2], 2)).not.toHaveProperty('secondValue');
  });

  it('reports and undoes prototype pollution', async () => {
    const polluting = { $: 'object', v: [['__proto__', { $: 'object', v: [['polluted', true]] }]] };
    expect(await run('unsafeMerge', [{ $: 'object', v: [] }, polluting])).toMatchObject({
      prototypePollution: ['polluted'],
    });
    expect(
      await run('unsafeMerge', [
        { $: 'object', v: [] },
        { $: 'object', v: [['a', 1]] },
      ]),
    ).not.toHaveProperty('prototypePollution');
  });

  it('materialises generators and awaits promises', async () => {
    expect(await run('count', [3])).toMatchObject({ status: 'returned', value: [0, 1, 2] });
    expect(await run('later', ['abc'])).toMatchObject({ status: 'returned', value: 'ABC' });
  });

  it('calls instance and static methods', async () => {
    expect(await run('Counter.total', [[1, 2]])).toMatchObject({ status: 'returned', value: 2 });
    expect(await run('Counter.zero', [])).toMatchObject({ status: 'returned', value: 0 });
  });

  it('keeps the protocol apart from what the code prints', async () => {
    expect(await run('noisy', ['ok'])).toMatchObject({ status: 'returned', value: 'ok' });
  });

  it('kills a hanging call and carries on with a fresh process', async () => {
    const starts = executor.processStarts;
    expect(await run('spin', [])).toMatchObject({ status: 'timeout' });
    expect(await run('add', [2, 2])).toMatchObject({ status: 'returned', value: 4 });
    expect(executor.processStarts).toBe(starts + 1);
  });

  it('reports a call that ends the process as a crash, then recovers', async () => {
    expect(await run('exitProcess', [])).toMatchObject({ status: 'crash', exitCode: 3 });
    expect(await run('add', [1, 1])).toMatchObject({ status: 'returned', value: 2 });
  });

  it('answers an unknown function with an error outcome', async () => {
    expect(await run('nope', [])).toMatchObject({ status: 'threw', error: { type: 'ReferenceError' } });
  });

  it('reports a module that throws on import', async () => {
    const broken = new VectorExecutor({
      language: 'typescript',
      modulePath: path.join(testdata, 'throws-on-import.ts'),
      pythonPath: 'python3',
    });
    try {
      expect(await broken.start()).toEqual({
        importError: { type: 'Error', message: 'this module cannot be loaded' },
      });
    } finally {
      broken.close();
    }
  });
});
