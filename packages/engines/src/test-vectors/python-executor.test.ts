import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePythonInterpreter } from '../languages/python/resolve-python-interpreter.ts';
import type { EncodedValue } from './encoded-value.ts';
import type { ExecutorMessage } from './executor-protocol.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const executorScript = path.join(here, 'executors/python-executor.py');
const fixture = path.join(here, '../languages/python/testdata/executor_behaviours.py');

/** The executor spoken to directly over fds 3 and 4, without the sandbox, as the protocol describes. */
function startExecutor(modulePath: string) {
  const child: ChildProcess = spawn(resolvePythonInterpreter(), [executorScript, modulePath], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const requests = child.stdio[3] as Writable;
  const pending: ExecutorMessage[] = [];
  const waiting: ((message: ExecutorMessage) => void)[] = [];
  createInterface({ input: child.stdio[4] as Readable, crlfDelay: Infinity }).on('line', (line) => {
    const message = JSON.parse(line) as ExecutorMessage;
    const next = waiting.shift();
    if (next) next(message);
    else pending.push(message);
  });
  const next = () =>
    new Promise<ExecutorMessage>((resolve, reject) => {
      const queued = pending.shift();
      if (queued) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`no answer; output so far: ${stdout}`)), 10_000);
      waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  const sendLine = async (line: string) => {
    requests.write(`${line}\n`);
    return next();
  };
  const run = async (fn: string, args: EncodedValue[], repeat: 1 | 2 = 1) => {
    const message = await sendLine(
      JSON.stringify({ type: 'run', id: fn, function: fn, arguments: args, repeat }),
    );
    if (message.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(message)}`);
    expect(message.id).toBe(fn);
    return message.outcome;
  };
  return { child, next, sendLine, run, output: () => stdout };
}

describe('python-executor.py', () => {
  let executor: ReturnType<typeof startExecutor>;
  beforeAll(() => {
    executor = startExecutor(fixture);
  });
  afterAll(() => {
    executor.child.kill();
  });

  it('imports the module and lists its functions and methods', async () => {
    const ready = await executor.next();
    expect(ready.type).toBe('ready');
    expect(ready.type === 'ready' ? ready.exports : []).toEqual(
      expect.arrayContaining([
        'identity',
        'add',
        'kinds',
        'later',
        'Counter.bump',
        'Counter.double',
        'Counter.name',
      ]) as unknown,
    );
  });

  it('decodes every argument tag and describes the values back', async () => {
    const cases: [EncodedValue, EncodedValue][] = [
      [{ $: 'nan' }, { $: 'nan' }],
      [{ $: 'infinity' }, { $: 'infinity' }],
      [{ $: '-infinity' }, { $: '-infinity' }],
      [{ $: '-0' }, { $: '-0' }],
      [
        { $: 'bigint', v: '18446744073709551616' },
        { $: 'bigint', v: '18446744073709551616' },
      ],
      [{ $: 'bigint', v: '12' }, 12],
      [
        { $: 'tuple', v: [1, 'a'] },
        { $: 'tuple', v: [1, 'a'] },
      ],
      [
        { $: 'set', v: ['b', 'a'] },
        { $: 'set', v: ['a', 'b'] },
      ],
      [
        { $: 'map', v: [[1, 'one']] },
        { $: 'map', v: [[1, 'one']] },
      ],
      [
        {
          $: 'object',
          v: [
            ['__proto__', 1],
            ['$', 2],
          ],
        },
        {
          $: 'object',
          v: [
            ['__proto__', 1],
            ['$', 2],
          ],
        },
      ],
      [
        { $: 'object', class: 'Money', v: [['cents', 5]] },
        {
          $: 'object',
          class: 'Money',
          v: [
            ['cents', 5],
            ['currency', 'EUR'],
          ],
        },
      ],
      [
        { $: 'object', class: 'Money', v: [['wrong', 5]] },
        { $: 'object', v: [['wrong', 5]] },
      ],
      [{ $: 'repeat', v: 'ab', n: 3 }, 'ababab'],
      [{ $: 'array-repeat', v: [0], n: 2 }, [[0], [0]]],
      [{ $: 'nested', depth: 2, leaf: 1 }, [[1]]],
      [{ $: 'sparse', length: 3, v: [[1, 'x']] }, [null, 'x', null]],
      [
        { $: 'date', v: '2024-02-29T12:00:00.000Z' },
        { $: 'date', v: '2024-02-29T12:00:00+00:00' },
      ],
      [{ $: 'date', v: null }, 'invalid-date'],
      [
        { $: 'bytes', v: 'AP8=' },
        { $: 'bytes', v: 'AP8=' },
      ],
      [
        [1, { $: 'undefined' }],
        [1, null],
      ],
    ];
    for (const [argument, described] of cases) {
      expect(await executor.run('identity', [argument])).toMatchObject({
        status: 'returned',
        value: described,
        mutatedArguments: [],
      });
    }
  });

  it('describes results of every kind: big ints, non-finite floats, sets, dataclasses, enums, cycles', async () => {
    const outcome = await executor.run('kinds', []);
    expect(outcome).toMatchObject({ status: 'returned' });
    expect(outcome.status === 'returned' ? outcome.value : null).toEqual({
      $: 'object',
      v: [
        ['big', { $: 'bigint', v: '18446744073709551616' }],
        ['negative_big', { $: 'bigint', v: '-1152921504606846976' }],
        ['nan', { $: 'nan' }],
        ['inf', { $: 'infinity' }],
        ['-inf', { $: '-infinity' }],
        ['-0', { $: '-0' }],
        ['tuple', { $: 'tuple', v: [1, 'a'] }],
        ['set', { $: 'set', v: [1, 2, 3] }],
        ['map', { $: 'map', v: [[1, 'one']] }],
        ['bytes', { $: 'bytes', v: 'AP8=' }],
        [
          'money',
          {
            $: 'object',
            class: 'Money',
            v: [
              ['cents', 5],
              ['currency', 'EUR'],
            ],
          },
        ],
        ['colour', 'red'],
        ['cycle', [1, { $: 'cycle' }]],
        ['opaque', { $: 'opaque', type: 'Opaque', repr: expect.stringContaining('0x?') as unknown }],
      ],
    });
  });

  it('passes arguments positionally, then to keyword-only parameters, and stops at undefined', async () => {
    expect(await executor.run('add', [1, 2])).toMatchObject({ status: 'returned', value: 3 });
    expect(await executor.run('add', [1, 2, 10])).toMatchObject({ status: 'returned', value: 30 });
    expect(await executor.run('add', [1, { $: 'undefined' }, 10])).toMatchObject({
      status: 'returned',
      value: 2,
    });
  });

  it('calls methods on a fresh instance each time, and static and class methods on the class', async () => {
    expect(await executor.run('Counter.bump', [5], 2)).toEqual(
      expect.objectContaining({ status: 'returned', value: 5 }),
    );
    expect(await executor.run('Counter.bump', [5], 2)).not.toHaveProperty('secondValue');
    expect(await executor.run('Counter.double', [4])).toMatchObject({ status: 'returned', value: 8 });
    expect(await executor.run('Counter.name', [])).toMatchObject({ status: 'returned', value: 'Counter' });
  });

  it('tells deliberate raises from errors the runtime raised', async () => {
    expect(await executor.run('check_positive', [-1])).toMatchObject({
      status: 'threw',
      error: { type: 'ValueError', message: 'x must be positive', native: false },
    });
    expect(await executor.run('first', [[]])).toMatchObject({
      status: 'threw',
      error: { type: 'IndexError', native: true },
    });
    expect(await executor.run('first', [{ $: 'object', v: [] }])).toMatchObject({
      status: 'threw',
      error: { type: 'KeyError', native: true },
    });
    expect(await executor.run('add', ['a', 1])).toMatchObject({
      status: 'threw',
      error: { type: 'TypeError', native: true },
    });
    expect(await executor.run('missing_function', [])).toMatchObject({
      status: 'threw',
      error: { type: 'LookupError' },
    });
  });

  it('reports which arguments the call mutated', async () => {
    expect(await executor.run('sort_in_place', [[3, 1, 2]])).toMatchObject({
      status: 'returned',
      value: 3,
      mutatedArguments: [0],
    });
    expect(await executor.run('sort_in_place', [[1, 2, 3]])).toMatchObject({ mutatedArguments: [] });
  });

  it('reports a second, different value when a repeated call is not deterministic', async () => {
    const outcome = await executor.run('roll', [], 2);
    expect(outcome).toMatchObject({ status: 'returned', secondValue: expect.any(Number) as unknown });
    expect(await executor.run('identity', [1], 2)).not.toHaveProperty('secondValue');
  });

  it('materialises generators (capped at 100,000 items) and awaits coroutines', async () => {
    expect(await executor.run('count_up', [3])).toMatchObject({ status: 'returned', value: [0, 1, 2] });
    const endless = await executor.run('forever', []);
    expect(endless.status === 'returned' && Array.isArray(endless.value) ? endless.value.length : 0).toBe(
      100_000,
    );
    expect(await executor.run('later', [1])).toMatchObject({ status: 'returned', value: 2 });
  });

  it('reports a recursion bomb and SystemExit as outcomes and keeps serving', async () => {
    expect(await executor.run('recurse', [0])).toMatchObject({
      status: 'threw',
      error: { type: 'RecursionError', native: true },
    });
    expect(await executor.run('exits', [])).toMatchObject({
      status: 'threw',
      error: { type: 'SystemExit', message: '3' },
    });
    expect(await executor.run('identity', [1])).toMatchObject({ status: 'returned', value: 1 });
  });

  it('leaves stdout to the code under test: a forged line there does not disturb the protocol', async () => {
    expect(await executor.run('chatty', [7])).toMatchObject({ status: 'returned', value: 7 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(executor.output()).toContain('"id": "forged"');
  });

  it('keeps unicode intact, lone surrogates included', async () => {
    for (const text of ['é', '👍🏽', 'e\u0301', '\u202eRTL', 'a\u0000b', '\ud800', 'x\udc00y', '\ufeff']) {
      expect(await executor.run('echo_length', [text])).toMatchObject({
        status: 'returned',
        value: [text, [...text].length],
      });
    }
  });

  it('answers a bad request with an ExecutorProtocolError result instead of dying', async () => {
    const garbage = await executor.sendLine('this is not json');
    expect(garbage).toMatchObject({
      type: 'result',
      outcome: { status: 'threw', error: { type: 'ExecutorProtocolError' } },
    });
    const resultOnly = await executor.sendLine(
      JSON.stringify({ type: 'run', id: 'r', function: 'identity', arguments: [{ $: 'cycle' }], repeat: 1 }),
    );
    expect(resultOnly).toMatchObject({
      type: 'result',
      id: 'r',
      outcome: { status: 'threw', error: { type: 'ExecutorProtocolError' } },
    });
    expect(await executor.run('identity', ['still here'])).toMatchObject({ value: 'still here' });
  });
});

describe('python-executor.py import failures', () => {
  it('reports a module that raises or exits on import as an import-error', async () => {
    const executor = startExecutor(path.join(here, 'testdata/exits_on_import.py'));
    try {
      expect(await executor.next()).toEqual({
        type: 'import-error',
        error: { type: 'SystemExit', message: 'this module cannot be loaded' },
      });
    } finally {
      executor.child.kill();
    }
    const missing = startExecutor(path.join(here, 'testdata/no_such_module.py'));
    try {
      expect(await missing.next()).toMatchObject({
        type: 'import-error',
        error: { type: 'FileNotFoundError' },
      });
    } finally {
      missing.child.kill();
    }
  });
});
