import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzePythonFile } from './analyze-python-file.ts';

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

describe('analyzePythonFile', () => {
  it('maps annotations to type shapes: Optional, dict, Literal, enums, dataclasses', async () => {
    const analysis = await analyzePythonFile(path.join(testdata, 'annotations.py'));
    expect(analysis.language).toBe('python');
    const mean = analysis.functions.find((fn) => fn.name === 'mean');
    const types = Object.fromEntries(
      mean?.parameters.map((parameter) => [parameter.name, parameter.type]) ?? [],
    );
    expect(types.values).toEqual({ kind: 'array', element: { kind: 'number' } });
    expect(types.weights).toEqual({
      kind: 'union',
      options: [{ kind: 'record', value: { kind: 'number', integer: true } }, { kind: 'null' }],
    });
    expect(types.mode).toEqual({
      kind: 'union',
      options: [
        { kind: 'literal', value: 'a' },
        { kind: 'literal', value: 'b' },
      ],
    });
    expect(types.c).toEqual({
      kind: 'union',
      options: [
        { kind: 'literal', value: 'red' },
        { kind: 'literal', value: 'green' },
      ],
    });
    expect(types.p).toMatchObject({
      kind: 'union',
      options: [{ kind: 'object', className: 'Point' }, { kind: 'null' }],
    });
    expect(mean?.returns.type).toEqual({ kind: 'number' });
  });

  it('reads Google docstrings, preconditions, raises and doctests with continuations and tracebacks', async () => {
    const analysis = await analyzePythonFile(path.join(testdata, 'annotations.py'));
    const mean = analysis.functions.find((fn) => fn.name === 'mean');
    expect(mean?.summary).toBe('Average of values.');
    expect(mean?.parameters[0]).toMatchObject({
      description: 'the numbers, non-empty',
      constraints: { nonEmpty: true },
    });
    expect(mean?.throws).toEqual([{ type: 'ValueError', description: 'when values is empty' }]);
    expect(mean?.examples).toEqual([
      { source: 'mean([1, 2,\n3])', arguments: [[1, 2, 3]], expected: { kind: 'returns', value: 2 } },
      { source: 'mean([])', arguments: [[]], expected: { kind: 'throws', errorType: 'ValueError' } },
    ]);
  });

  it('reads NumPy and reST docstrings and infers untyped parameters, with warnings', async () => {
    const annotations = await analyzePythonFile(path.join(testdata, 'annotations.py'));
    const numpyStyle = annotations.functions.find((fn) => fn.name === 'numpy_style');
    expect(numpyStyle?.parameters[0]).toMatchObject({
      type: { kind: 'number', integer: true },
      inferredFrom: 'its docstring type',
      constraints: { exclusiveMinimum: 0, integer: true },
    });
    expect(numpyStyle?.throws).toEqual([{ type: 'ValueError', description: 'when a is negative' }]);
    const shout = annotations.functions.find((fn) => fn.name === 'shout');
    expect(shout?.parameters[0]).toMatchObject({
      type: { kind: 'string' },
      inferredFrom: 'the string method .upper() called on it',
    });
    expect(annotations.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('shout: parameter "name" has no annotation')]),
    );

    const rest = await analyzePythonFile(path.join(testdata, 'rest_style.py'));
    expect(rest.functions.map((fn) => fn.name)).toEqual(['scale']);
    expect(
      rest.functions[0]?.parameters.map((parameter) => [
        parameter.name,
        parameter.type,
        parameter.constraints,
      ]),
    ).toEqual([
      ['value', { kind: 'number', integer: true }, { minimum: 0, integer: true }],
      ['factor', { kind: 'number' }, {}],
    ]);
    expect(rest.functions[0]?.throws).toEqual([
      { type: 'ValueError', description: 'when value is negative' },
    ]);
  });

  it('lists methods: instance methods of constructible classes and static methods', async () => {
    const analysis = await analyzePythonFile(path.join(testdata, 'annotations.py'));
    expect(
      analysis.functions
        .filter((fn) => fn.kind === 'method')
        .map((fn) => [fn.name, fn.isStatic, fn.documentsMutation]),
    ).toEqual([
      ['Stack.push', false, true],
      ['Stack.make', true, false],
    ]);
  });

  it('reports syntax errors with their location, missing files and a missing interpreter', async () => {
    await expect(analyzePythonFile(path.join(testdata, 'syntax_error.py'))).rejects.toMatchObject({
      code: 'source_syntax_error',
      message: expect.stringMatching(/syntax_error\.py:1:\d+/) as unknown,
    });
    await expect(analyzePythonFile(path.join(testdata, 'missing.py'))).rejects.toMatchObject({
      code: 'source_not_found',
    });
    await expect(
      analyzePythonFile(path.join(testdata, 'rest_style.py'), { pythonPath: '/nonexistent/python3' }),
    ).rejects.toMatchObject({
      code: 'interpreter_not_found',
    });
  });

  it('maps Union, tuples, sets, mappings, TypedDicts, dates and unsupported types; keyword-only before *args', async () => {
    const analysis = await analyzePythonFile(path.join(testdata, 'shapes_and_inference.py'));
    const shapes = analysis.functions.find((fn) => fn.name === 'shapes');
    const types = Object.fromEntries(
      shapes?.parameters.map((parameter) => [parameter.name, parameter.type]) ?? [],
    );
    const integer = { kind: 'number', integer: true };
    expect(types.a).toEqual({ kind: 'union', options: [integer, { kind: 'string' }] });
    expect(types.b).toEqual({ kind: 'array', element: integer });
    expect(types.c).toEqual({ kind: 'tuple', elements: [integer, { kind: 'string' }] });
    expect(types.d).toEqual({ kind: 'array', element: { kind: 'number' } });
    expect(types.e).toEqual({ kind: 'set', element: { kind: 'string' } });
    expect(types.f).toEqual({ kind: 'record', value: { kind: 'number' } });
    expect([types.g, types.h]).toEqual([
      { kind: 'unsupported', text: 'bytes' },
      { kind: 'unsupported', text: 'Callable[[int], int]' },
    ]);
    expect([types.j, types.k, types.when]).toEqual([{ kind: 'any' }, { kind: 'any' }, { kind: 'date' }]);
    expect(types.opts).toEqual({
      kind: 'object',
      className: 'Options',
      properties: [{ name: 'verbose', type: { kind: 'boolean' }, optional: false }],
    });
    expect(types.pair).toEqual({ kind: 'union', options: [integer, { kind: 'string' }, { kind: 'null' }] });
    expect(
      shapes?.parameters.slice(-3).map((parameter) => [parameter.name, parameter.hasDefault, parameter.rest]),
    ).toEqual([
      ['flag', true, false],
      ['limit', false, false],
      ['args', false, true],
    ]);
    expect(shapes?.unsupported).toEqual(['g', 'h', 'mode']);
    expect(shapes?.returns.type).toEqual({ kind: 'union', options: [integer, { kind: 'null' }] });
    expect(analysis.warnings).toContain(
      'shapes: **kwargs is ignored: vectors pass arguments by position only.',
    );
  });

  it('infers untyped parameters from usage, names and defaults, and says so', async () => {
    const analysis = await analyzePythonFile(path.join(testdata, 'shapes_and_inference.py'));
    const usage = analysis.functions.find((fn) => fn.name === 'usage');
    expect(
      usage?.parameters.map((parameter) => [parameter.name, parameter.typeText, parameter.inferredFrom]),
    ).toEqual([
      ['a', 'str', 'the string method .strip() called on it'],
      ['b', 'list[Any]', 'the list method .append() called on it'],
      ['c', 'int', 'being passed to range()'],
      ['d', 'dict[str, Any]', 'being indexed with a string key'],
      ['e', 'float', 'arithmetic with a number'],
      ['f', 'float', 'arithmetic with a number'],
      ['g', 'str | list[Any]', 'being passed to len()'],
      ['h', 'list[Any]', 'being iterated'],
      ['name', 'str', 'its name'],
      ['idx', 'int', 'its name'],
      ['lst', 'list[Any]', 'its name'],
      ['mystery', 'Any', undefined],
      ['ratio', 'float', 'its default value'],
      ['tags', 'list[Any]', 'its default value'],
    ]);
    expect(usage?.parameters[6]?.type).toEqual({
      kind: 'union',
      options: [{ kind: 'string' }, { kind: 'array', element: { kind: 'any' } }],
    });
    expect(analysis.warnings).toContain(
      'usage: parameter "c" has no annotation; inferred int from being passed to range().',
    );
  });

  it('reads summaries, multi-line descriptions, NumPy sections and doctests with keywords and continuations', async () => {
    const analysis = await analyzePythonFile(path.join(testdata, 'shapes_and_inference.py'));
    const clean = analysis.functions.find((fn) => fn.name === 'clean');
    expect(clean?.summary).toBe('Sorted copy of items; does not modify the input.');
    expect(clean?.documentsMutation).toBe(false);
    expect(clean?.parameters[0]).toMatchObject({ description: 'the values to sort, non-empty.' });
    expect(clean?.parameters[0]?.constraints).toMatchObject({ nonEmpty: true });
    expect(clean?.examples.map((example) => [example.arguments, example.expected])).toEqual([
      [[[2, 1], false, 'x'], { kind: 'returns', value: [1, 2] }],
      [[[3]], { kind: 'returns', value: [3] }],
    ]);
    expect(analysis.warnings).toEqual(
      expect.arrayContaining([
        "clean: doctest 'clean([1], reverse=some_flag)' skipped: its arguments are not literals.",
        "clean: doctest 'print(clean([1]))' skipped: not a literal call of the function.",
      ]),
    );
    const tally = analysis.functions.find((fn) => fn.name === 'tally');
    expect(tally?.parameters[0]).toMatchObject({
      type: { kind: 'array', element: { kind: 'string' } },
      description: 'the words: one per entry (duplicates are counted)',
    });
    expect(tally?.throws).toEqual([
      { type: 'TypeError', description: 'when a word is not a string' },
      { type: 'KeyError', description: '' },
    ]);
    expect(tally?.examples).toEqual([
      {
        source: 'tally(["a", "b",\n"a"])',
        arguments: [['a', 'b', 'a']],
        expected: {
          kind: 'returns',
          value: {
            $: 'object',
            v: [
              ['a', 2],
              ['b', 1],
            ],
          },
        },
      },
    ]);
  });

  it('skips instance methods of classes that need constructor arguments, keeps class methods and overloads once', async () => {
    const analysis = await analyzePythonFile(path.join(testdata, 'shapes_and_inference.py'));
    expect(analysis.functions.map((fn) => [fn.name, fn.className, fn.isStatic])).toEqual([
      ['shapes', undefined, undefined],
      ['usage', undefined, undefined],
      ['clean', undefined, undefined],
      ['tally', undefined, undefined],
      ['Account.open', 'Account', true],
      ['Settings.deeper', 'Settings', false],
      ['convert', undefined, undefined],
    ]);
    expect(analysis.warnings).toContain(
      'Account.deposit skipped: Account() needs constructor arguments, so the engine cannot build an instance.',
    );
    const deeper = analysis.functions.find((fn) => fn.name === 'Settings.deeper');
    expect(deeper?.documentsMutation).toBe(true);
    expect(deeper?.examples).toEqual([
      { source: 'Settings().deeper(2)', arguments: [2], expected: { kind: 'returns', value: 3 } },
    ]);
  });

  it('runs on every supported Python (3.9 to 3.13) where installed', async () => {
    const pyenv = path.join(process.env.HOME ?? '/root', '.pyenv/versions');
    const installed = ['3.9', '3.13']
      .map((version) => {
        try {
          return readdirSync(pyenv).find((entry) => entry.startsWith(`${version}.`));
        } catch {
          return undefined;
        }
      })
      .filter((entry): entry is string => entry !== undefined);
    const expected = await analyzePythonFile(path.join(testdata, 'shapes_and_inference.py'));
    for (const version of installed) {
      const analysis = await analyzePythonFile(path.join(testdata, 'shapes_and_inference.py'), {
        pythonPath: path.join(pyenv, version, 'bin/python'),
      });
      expect(analysis).toEqual(expected);
    }
  });
});
