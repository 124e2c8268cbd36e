import { describe, expect, it } from 'vitest';
import type { AnalyzedFunction } from './analyzed-function.ts';
import { generateVectors } from './generate-vectors.ts';

const paginate: AnalyzedFunction = {
  name: 'paginate',
  kind: 'function',
  isAsync: false,
  line: 1,
  column: 1,
  summary: 'One page of items.',
  parameters: [
    {
      name: 'items',
      type: { kind: 'array', element: { kind: 'string' } },
      typeText: 'string[]',
      optional: false,
      hasDefault: false,
      rest: false,
      constraints: {},
    },
    {
      name: 'page',
      type: { kind: 'number' },
      typeText: 'number',
      optional: false,
      hasDefault: false,
      rest: false,
      constraints: { minimum: 1, integer: true },
    },
    {
      name: 'size',
      type: { kind: 'number' },
      typeText: 'number',
      optional: true,
      hasDefault: true,
      rest: false,
      constraints: { minimum: 1, maximum: 100 },
    },
  ],
  returns: { type: { kind: 'array', element: { kind: 'string' } }, typeText: 'string[]' },
  throws: [],
  examples: [
    {
      source: 'paginate(["a"], 1) // => ["a"]',
      arguments: [['a'], 1],
      expected: { kind: 'returns', value: ['a'] },
    },
  ],
  documentsMutation: false,
  unsupported: [],
};

describe('generateVectors', () => {
  const vectors = generateVectors(paginate, { language: 'typescript', seed: 5 });

  it('starts with the documented examples and a typical call', () => {
    expect(vectors[0]).toMatchObject({
      vectorClass: 'example',
      arguments: [['a'], 1],
      expected: { kind: 'returns', value: ['a'] },
    });
    expect(vectors[1]).toMatchObject({ vectorClass: 'typical', validity: 'valid' });
  });

  it('varies every parameter around its documented bounds', () => {
    const pages = vectors
      .filter((vector) => vector.parameter === 'page')
      .map((vector) => vector.arguments[1]);
    expect(pages).toEqual(expect.arrayContaining([0, 1, 2]));
    const sizes = vectors
      .filter((vector) => vector.parameter === 'size')
      .map((vector) => vector.arguments[2]);
    expect(sizes).toEqual(expect.arrayContaining([99, 100, 101]));
    const items = vectors.filter((vector) => vector.parameter === 'items');
    expect(items.map((vector) => vector.rationale)).toEqual(
      expect.arrayContaining(['items: empty array', 'items: 10^6 elements']),
    );
  });

  it('labels vectors outside the documented contract as robustness', () => {
    const byPage = (page: unknown) =>
      vectors.find((vector) => vector.parameter === 'page' && vector.arguments[1] === page);
    expect(byPage(0)?.validity).toBe('robustness');
    expect(byPage(1)?.validity).toBe('valid');
    expect(byPage(0.5)?.validity).toBe('robustness');
    // Leaving out the optional size is a valid call (whichever vector got there first).
    expect(vectors.find((vector) => vector.arguments.length === 2)?.validity).toBe('valid');
    expect(
      vectors.find((vector) => vector.vectorClass === 'missing-argument' && vector.parameter === 'page')
        ?.validity,
    ).toBe('robustness');
  });

  it('includes security, unicode and huge strings for string elements, and never repeats a vector', () => {
    const rationales = vectors.map((vector) => vector.rationale).join('\n');
    expect(rationales).toMatch(/SQL injection/);
    expect(rationales).toMatch(/surrogate/);
    const keys = vectors.map(
      (vector) => JSON.stringify(vector.arguments) + JSON.stringify(vector.expected ?? null),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is deterministic and respects the budget', () => {
    expect(generateVectors(paginate, { language: 'typescript', seed: 5 })).toEqual(vectors);
    expect(
      generateVectors(paginate, { language: 'typescript', seed: 5, budget: 20 }).length,
    ).toBeLessThanOrEqual(20 + 3 + 3);
  });

  it('uses Python values for Python: tuples, no undefined, unbounded integers', () => {
    const python = generateVectors(
      { ...paginate, parameters: [{ ...paginate.parameters[1]!, type: { kind: 'number', integer: true } }] },
      { language: 'python', seed: 5 },
    );
    const serialized = JSON.stringify(python.map((vector) => vector.arguments));
    expect(serialized).not.toContain('"undefined"');
    expect(serialized).toContain('"bigint"');
  });
});
