import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeTypeScriptFile } from './analyze-typescript-file.ts';

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const analysis = analyzeTypeScriptFile(path.join(testdata, 'shapes.ts'));
const byName = (name: string) => {
  const found = analysis.functions.find((fn) => fn.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

describe('analyzeTypeScriptFile', () => {
  it('finds exported functions, arrow functions, default exports and public class methods in source order', () => {
    expect(analysis.functions.map((fn) => fn.name)).toEqual([
      'clamp',
      'f',
      'g',
      'Cart.total',
      'Cart.make',
      'default',
    ]);
    expect(byName('Cart.make')).toMatchObject({ kind: 'method', className: 'Cart', isStatic: true });
    expect(byName('Cart.total')).toMatchObject({ kind: 'method', isStatic: false });
  });

  it('reads JSDoc: parameters, preconditions, throws and literal examples', () => {
    const clamp = byName('clamp');
    expect(
      clamp.parameters.map((parameter) => [parameter.name, parameter.constraints, parameter.optional]),
    ).toEqual([
      ['value', { integer: true }, false],
      ['lo', { minimum: 0, maximum: 100 }, false],
      ['hi', {}, true],
    ]);
    expect(clamp.throws).toEqual([{ type: 'RangeError', description: 'when lo > hi' }]);
    expect(clamp.examples).toEqual([
      { source: 'clamp(5, 0, 3) // => 3', arguments: [5, 0, 3], expected: { kind: 'returns', value: 3 } },
      { source: 'clamp(-1, 0, 3) // => 0', arguments: [-1, 0, 3], expected: { kind: 'returns', value: 0 } },
      {
        source: 'clamp(1, 5, 3) // throws RangeError',
        arguments: [1, 5, 3],
        expected: { kind: 'throws', errorType: 'RangeError' },
      },
    ]);
  });

  it('resolves interfaces, enums, aliases, readonly arrays, tuples, records, dates and rest parameters', () => {
    const f = byName('f');
    expect(f.isAsync).toBe(true);
    expect(f.returns.type).toEqual({
      kind: 'array',
      element: expect.objectContaining({ kind: 'object' }) as unknown,
    });
    const types = Object.fromEntries(f.parameters.map((parameter) => [parameter.name, parameter.type]));
    expect(types.p).toEqual({
      kind: 'object',
      properties: [
        { name: 'x', type: { kind: 'number' }, optional: false },
        {
          name: 'y',
          type: { kind: 'union', options: [{ kind: 'undefined' }, { kind: 'number' }] },
          optional: true,
        },
      ],
    });
    expect(types.c).toEqual({
      kind: 'union',
      options: [
        { kind: 'literal', value: 'red' },
        { kind: 'literal', value: 'green' },
      ],
    });
    expect(types.id).toEqual({ kind: 'union', options: [{ kind: 'string' }, { kind: 'number' }] });
    expect(types.xs).toEqual({ kind: 'array', element: { kind: 'string' } });
    expect(types.t).toEqual({ kind: 'tuple', elements: [{ kind: 'number' }, { kind: 'boolean' }] });
    expect(types.r).toEqual({ kind: 'record', value: { kind: 'number' } });
    expect(types.d).toEqual({ kind: 'union', options: [{ kind: 'undefined' }, { kind: 'date' }] });
    expect(types.rest).toEqual({ kind: 'bigint' });
    expect(f.parameters.at(-1)?.rest).toBe(true);
  });

  it('instantiates generics at their constraint and marks callbacks unsupported', () => {
    const g = byName('g');
    expect(g.parameters[0]?.type).toEqual({ kind: 'string' });
    expect(g.unsupported).toEqual(['cb']);
    expect(g.parameters[2]?.type).toEqual({ kind: 'set', element: { kind: 'number' } });
  });

  it('infers untyped JavaScript parameters from their use and says so', () => {
    const untyped = analyzeTypeScriptFile(path.join(testdata, 'untyped.js'));
    expect(untyped.language).toBe('javascript');
    expect(untyped.functions[0]?.parameters[0]).toMatchObject({
      name: 'name',
      type: { kind: 'string' },
      inferredFrom: 'string methods called on it',
    });
    expect(untyped.functions[0]?.parameters[1]).toMatchObject({
      name: 'times',
      type: { kind: 'number' },
      hasDefault: true,
    });
    expect(untyped.functions[1]?.parameters[0]?.type).toEqual({ kind: 'array', element: { kind: 'any' } });
    expect(untyped.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('"name" has no type; inferred string')]),
    );
  });

  it('reports syntax errors with their location', () => {
    expect(() => analyzeTypeScriptFile(path.join(testdata, 'syntax-error.ts'))).toThrow(
      /syntax-error\.ts:1:\d+/,
    );
    try {
      analyzeTypeScriptFile(path.join(testdata, 'syntax-error.ts'));
    } catch (error) {
      expect(error).toMatchObject({ code: 'source_syntax_error' });
    }
  });

  it('reports a missing file', () => {
    expect(() => analyzeTypeScriptFile(path.join(testdata, 'missing.ts'))).toThrow(
      expect.objectContaining({ code: 'source_not_found' }),
    );
  });
});
