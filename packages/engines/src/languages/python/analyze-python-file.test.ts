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
});
