import type { AnalyzedFunction, AnalyzedParameter, VectorLanguage } from './analyzed-function.ts';
import { conformsToShape } from './conforms-to-shape.ts';
import type { EncodedValue } from './encoded-value.ts';
import type { TestVector, VectorClass } from './test-vector.ts';
import type { ParameterConstraints, TypeShape } from './type-shape.ts';
import {
  bigIntegers,
  dateStrings,
  dateValues,
  formatTypicals,
  fractionalNumbers,
  nonFiniteNumbers,
  numberBoundaries,
  plainStrings,
  redosStrings,
  sampleNaughtyStrings,
  securityStrings,
  unicodeStrings,
  type CatalogueValue,
} from './value-catalogue.ts';

export interface GenerateVectorsOptions {
  language: VectorLanguage;
  seed: number;
  /** Most fixed-catalogue vectors to produce (property exploration comes on top). Default 160. */
  budget?: number;
}

type PoolValue = CatalogueValue & { forceRobustness?: boolean };

const rangePairs: [RegExp, RegExp][] = [
  [
    /^(min|lo|low|lower|start|from|begin|first|a)(imum)?$/i,
    /^(max|hi|high|upper|end|to|finish|last|b)(imum)?$/i,
  ],
];

/**
 * The fixed part of the vector catalogue for one function: documented examples, a typical call, then each
 * parameter varied over the values its type and documented preconditions call for (boundaries, strings,
 * unicode, security payloads, collections, dates, nulls, type confusion), then cross-parameter cases.
 * Deterministic for a given function, language and seed.
 *
 * @example generateVectors(analyzed, { language: 'typescript', seed: 1 }).length > 0 // => true
 */
export function generateVectors(fn: AnalyzedFunction, options: GenerateVectorsOptions): TestVector[] {
  const { language, seed } = options;
  const budget = options.budget ?? 160;
  const vectors: TestVector[] = [];
  const seen = new Set<string>();
  const parameters = fn.parameters;
  const typicals = parameters.map((parameter) => typicalValue(parameter, language));

  const add = (
    args: EncodedValue[],
    vectorClass: VectorClass,
    rationale: string,
    parameter?: string,
    extra: Partial<TestVector> = {},
  ) => {
    const trimmed =
      language === 'python'
        ? trimMissing(args).map((value, index) => asPythonInteger(value, parameters[index]))
        : trimMissing(args);
    const key = JSON.stringify(trimmed) + (extra.expected ? JSON.stringify(extra.expected) : '');
    if (seen.has(key)) return;
    seen.add(key);
    vectors.push({
      id: `${fn.name}#${vectors.length + 1}`,
      function: fn.name,
      vectorClass,
      ...(parameter ? { parameter } : {}),
      rationale,
      arguments: trimmed,
      validity: isValidCall(trimmed, parameters, language) && !extra.validity ? 'valid' : 'robustness',
      ...(extra.expected ? { expected: extra.expected } : {}),
    });
  };

  for (const example of fn.examples) {
    add(example.arguments, 'example', `documented example: ${example.source}`, undefined, {
      expected: example.expected,
    });
  }
  add(typicals, 'typical', 'typical values for every parameter');

  // Per parameter pools, taken round-robin so that a small budget still varies every parameter.
  const pools = parameters.map((parameter, index) => parameterPool(parameter, language, seed + index));
  const longest = Math.max(0, ...pools.map((pool) => pool.length));
  for (let position = 0; position < longest && vectors.length < budget; position += 1) {
    pools.forEach((pool, index) => {
      const candidate = pool[position];
      const parameter = parameters[index];
      if (!candidate || !parameter || vectors.length >= budget) return;
      const args = [...typicals];
      args[index] = candidate.value;
      add(
        args,
        candidate.vectorClass,
        `${parameter.name}: ${candidate.rationale}`,
        parameter.name,
        candidate.forceRobustness ? { validity: 'robustness' } : {},
      );
    });
  }

  // Cross-parameter cases.
  const numericIndexes = parameters.flatMap((parameter, index) => (isNumeric(parameter.type) ? [index] : []));
  if (numericIndexes.length >= 2) {
    for (const value of [0, 1, -1] as const) {
      const args = [...typicals];
      for (const index of numericIndexes) args[index] = value;
      add(args, 'boundary', `every numeric parameter ${value}`);
    }
  }
  for (let left = 0; left < parameters.length; left += 1) {
    for (let right = left + 1; right < parameters.length; right += 1) {
      const leftName = parameters[left]?.name ?? '';
      const rightName = parameters[right]?.name ?? '';
      if (rangePairs.some(([low, high]) => low.test(leftName) && high.test(rightName))) {
        const args = [...typicals];
        const high = typicals[right] ?? null;
        args[right] = typicals[left] ?? null;
        args[left] = typeof high === 'number' ? high + 5 : high;
        add(args, 'boundary', `${leftName} greater than ${rightName} (reversed range)`);
        const equal = [...typicals];
        equal[right] = equal[left] ?? null;
        add(equal, 'boundary', `${leftName} equal to ${rightName} (empty range)`);
      }
    }
  }
  // Missing arguments: drop them from the end, one at a time.
  for (let count = parameters.length - 1; count >= 0; count -= 1) {
    const parameter = parameters[count];
    if (!parameter || parameter.rest) continue;
    add(
      typicals.slice(0, count),
      'missing-argument',
      `called without ${parameter.name}${count < parameters.length - 1 ? ' and later parameters' : ''}`,
      parameter.name,
    );
  }
  return vectors.slice(0, Math.max(budget, fn.examples.length + 1));
}

/**
 * JSON writes integers from 1e21 up in exponent form, which Python reads back as a float: for a parameter
 * declared as an integer, send them as exact integers instead.
 */
function asPythonInteger(value: EncodedValue, parameter: AnalyzedParameter | undefined): EncodedValue {
  if (typeof value !== 'number' || !parameter || !Number.isInteger(value) || Math.abs(value) < 1e21)
    return value;
  const shape = parameter.type;
  const integer =
    parameter.constraints.integer === true || (shape.kind === 'number' && shape.integer === true);
  return integer ? { $: 'bigint', v: BigInt(value).toString() } : value;
}

function isValidCall(
  args: EncodedValue[],
  parameters: AnalyzedParameter[],
  language: VectorLanguage,
): boolean {
  return parameters.every((parameter, index) => {
    if (parameter.rest) return true;
    const value = args[index];
    if (value === undefined || isUndefinedTag(value)) return parameter.optional;
    return conformsToShape(value, parameter.type, parameter.constraints, language);
  });
}

function isUndefinedTag(value: EncodedValue): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && value.$ === 'undefined';
}

/** Drops trailing `undefined` arguments: the executors call with fewer arguments instead. */
function trimMissing(args: EncodedValue[]): EncodedValue[] {
  const trimmed = [...args];
  while (trimmed.length > 0 && isUndefinedTag(trimmed[trimmed.length - 1] ?? null)) trimmed.pop();
  return trimmed;
}

function isNumeric(shape: TypeShape): boolean {
  return shape.kind === 'number';
}

/** A representative value that satisfies the parameter's type and preconditions. */
export function typicalValue(parameter: AnalyzedParameter, language: VectorLanguage): EncodedValue {
  return typicalFor(parameter.type, parameter.constraints, language, parameter.name);
}

function typicalFor(
  shape: TypeShape,
  constraints: ParameterConstraints,
  language: VectorLanguage,
  name = '',
): EncodedValue {
  switch (shape.kind) {
    case 'number': {
      let value = 3;
      const low =
        constraints.minimum ??
        (constraints.exclusiveMinimum !== undefined ? constraints.exclusiveMinimum + 1 : undefined);
      const high =
        constraints.maximum ??
        (constraints.exclusiveMaximum !== undefined ? constraints.exclusiveMaximum - 1 : undefined);
      if (low !== undefined && value < low) value = Math.ceil(low);
      if (high !== undefined && value > high) value = Math.floor(high);
      return value;
    }
    case 'string':
      if (constraints.format) return formatTypicals[constraints.format] ?? 'hello';
      if (/date/i.test(name)) return '2024-01-15';
      if (/mail/i.test(name)) return formatTypicals.email ?? 'user@example.com';
      if (/url|uri|href|link/i.test(name)) return formatTypicals.url ?? 'https://example.com';
      return 'hello world';
    case 'boolean':
      return true;
    case 'bigint':
      return { $: 'bigint', v: '3' };
    case 'null':
      return null;
    case 'undefined':
    case 'void':
      return { $: 'undefined' };
    case 'literal':
      return shape.value;
    case 'union': {
      const preferred =
        shape.options.find((option) => option.kind !== 'null' && option.kind !== 'undefined') ??
        shape.options[0];
      return preferred ? typicalFor(preferred, constraints, language, name) : null;
    }
    case 'array': {
      const element = typicalFor(shape.element, elementConstraints(constraints), language);
      if (typeof element === 'number') return [element - 1, element, element + 1];
      if (typeof element === 'string')
        return ['apple', 'banana', 'cherry'].map((word) =>
          shape.element.kind === 'string' ? word : element,
        );
      return [element, element];
    }
    case 'tuple': {
      const elements = shape.elements.map((element) => typicalFor(element, {}, language));
      return language === 'python' ? { $: 'tuple', v: elements } : elements;
    }
    case 'set':
      return { $: 'set', v: [typicalFor(shape.element, {}, language)] };
    case 'record':
      return {
        $: 'object',
        v: [
          ['alpha', typicalFor(shape.value, {}, language)],
          ['beta', typicalFor(shape.value, {}, language)],
        ],
      };
    case 'object':
      return {
        $: 'object',
        v: shape.properties.map((property): [string, EncodedValue] => [
          property.name,
          typicalFor(property.type, {}, language, property.name),
        ]),
        ...(shape.className ? { class: shape.className } : {}),
      };
    case 'date':
      return { $: 'date', v: '2024-01-15T12:00:00.000Z' };
    case 'any':
    case 'unsupported':
      return 'hello';
  }
}

function elementConstraints(constraints: ParameterConstraints): ParameterConstraints {
  return constraints.integer ? { integer: true } : {};
}

/** The values worth trying for one parameter, in priority order. */
function parameterPool(parameter: AnalyzedParameter, language: VectorLanguage, seed: number): PoolValue[] {
  const pool = valuesFor(parameter.type, parameter.constraints, language, seed, parameter.name, 0);
  pool.push(...typeConfusion(parameter.type, language));
  return pool;
}

function valuesFor(
  shape: TypeShape,
  constraints: ParameterConstraints,
  language: VectorLanguage,
  seed: number,
  name: string,
  depth: number,
): PoolValue[] {
  switch (shape.kind) {
    case 'number':
      return numberValues(shape, constraints, language);
    case 'string':
      return stringValues(constraints, seed, name, depth);
    case 'boolean':
      return [
        { value: true, vectorClass: 'boundary', rationale: 'true' },
        { value: false, vectorClass: 'boundary', rationale: 'false' },
      ];
    case 'bigint':
      return ['0', '1', '-1', String(2n ** 64n), String(-(2n ** 63n))].map((text) => ({
        value: { $: 'bigint', v: text },
        vectorClass: 'boundary' as const,
        rationale: `bigint ${text}`,
      }));
    case 'literal':
      return [
        {
          value: shape.value,
          vectorClass: 'boundary',
          rationale: `the literal ${JSON.stringify(shape.value)}`,
        },
      ];
    case 'null':
      return [{ value: null, vectorClass: 'null', rationale: 'null' }];
    case 'undefined':
    case 'void':
      return language === 'python'
        ? []
        : [{ value: { $: 'undefined' }, vectorClass: 'null', rationale: 'undefined' }];
    case 'union': {
      const merged: PoolValue[] = [];
      const perOption = shape.options.map((option) =>
        valuesFor(option, constraints, language, seed, name, depth + 1),
      );
      const longest = Math.max(0, ...perOption.map((values) => values.length));
      for (let index = 0; index < longest; index += 1) {
        for (const values of perOption) {
          const value = values[index];
          if (value) merged.push(value);
        }
      }
      return merged;
    }
    case 'array':
      return arrayValues(shape, constraints, language, seed, depth);
    case 'tuple': {
      const typical = shape.elements.map((element) => typicalFor(element, {}, language));
      const wrap = (elements: EncodedValue[]): EncodedValue =>
        language === 'python' ? { $: 'tuple', v: elements } : elements;
      const values: PoolValue[] = [];
      shape.elements.forEach((element, index) => {
        for (const candidate of valuesFor(element, {}, language, seed, name, depth + 1).slice(0, 8)) {
          const elements = [...typical];
          elements[index] = candidate.value;
          values.push({
            ...candidate,
            value: wrap(elements),
            rationale: `element ${index}: ${candidate.rationale}`,
          });
        }
      });
      return values;
    }
    case 'set':
      return [
        { value: { $: 'set', v: [] }, vectorClass: 'collection', rationale: 'empty set' },
        ...valuesFor(shape.element, {}, language, seed, name, depth + 1)
          .slice(0, 6)
          .map((candidate) => ({
            ...candidate,
            value: { $: 'set' as const, v: [candidate.value] },
            rationale: `set of ${candidate.rationale}`,
          })),
      ];
    case 'record':
      return recordValues(shape, language);
    case 'object':
      return objectValues(shape, language, seed, depth);
    case 'date':
      return dateValues;
    case 'any':
    case 'unsupported':
      return anyValues(language);
  }
}

function numberValues(
  shape: Extract<TypeShape, { kind: 'number' }>,
  constraints: ParameterConstraints,
  language: VectorLanguage,
): PoolValue[] {
  const values: PoolValue[] = [];
  const around = (bound: number, label: string) => {
    for (const delta of [-1, 0, 1]) {
      values.push({
        value: bound + delta,
        vectorClass: 'boundary',
        rationale: `${label} ${delta === 0 ? '' : delta > 0 ? '+ 1' : '- 1'}`.trim(),
      });
    }
  };
  if (constraints.minimum !== undefined) around(constraints.minimum, 'documented minimum');
  if (constraints.maximum !== undefined) around(constraints.maximum, 'documented maximum');
  if (constraints.exclusiveMinimum !== undefined)
    around(constraints.exclusiveMinimum, 'documented exclusive minimum');
  if (constraints.exclusiveMaximum !== undefined)
    around(constraints.exclusiveMaximum, 'documented exclusive maximum');
  values.push(...numberBoundaries);
  if (language === 'python') values.push(...bigIntegers);
  const integerOnly = shape.integer === true || constraints.integer === true;
  values.push(
    ...fractionalNumbers.map((candidate) =>
      integerOnly ? { ...candidate, vectorClass: 'type-confusion' as const } : candidate,
    ),
  );
  values.push(...nonFiniteNumbers);
  return values;
}

function stringValues(
  constraints: ParameterConstraints,
  seed: number,
  name: string,
  depth: number,
): PoolValue[] {
  const values: PoolValue[] = [];
  const isDateLike = constraints.format === 'iso-date' || /date|time|day/i.test(name);
  if (isDateLike) values.push(...dateStrings);
  if (depth > 0)
    return [
      ...values,
      ...plainStrings.slice(0, 4),
      ...unicodeStrings.slice(2, 4),
      ...securityStrings.slice(0, 3),
    ];
  // Interleave classes so that a small budget still covers each one.
  const groups = [plainStrings, unicodeStrings, securityStrings, redosStrings, sampleNaughtyStrings(seed, 8)];
  const longest = Math.max(...groups.map((group) => group.length));
  for (let index = 0; index < longest; index += 1) {
    for (const group of groups) {
      const value = group[index];
      if (value) values.push(value);
    }
  }
  return values;
}

function arrayValues(
  shape: Extract<TypeShape, { kind: 'array' }>,
  constraints: ParameterConstraints,
  language: VectorLanguage,
  seed: number,
  depth: number,
): PoolValue[] {
  const typical = typicalFor(shape.element, elementConstraints(constraints), language);
  const values: PoolValue[] = [
    { value: [], vectorClass: 'collection', rationale: 'empty array' },
    { value: [typical], vectorClass: 'collection', rationale: 'a single element' },
    { value: [typical, typical, typical], vectorClass: 'collection', rationale: 'duplicates' },
  ];
  if (typeof typical === 'number') {
    values.push({ value: [5, 4, 3, 2, 1], vectorClass: 'collection', rationale: 'reversed order' });
    values.push({ value: [3, 1, 2, 3, 1], vectorClass: 'collection', rationale: 'unsorted with duplicates' });
    values.push({ value: [-5, 0, 5, -5], vectorClass: 'collection', rationale: 'negatives and zero' });
  } else if (typeof typical === 'string') {
    values.push({
      value: ['cherry', 'banana', 'apple'],
      vectorClass: 'collection',
      rationale: 'reversed order',
    });
    values.push({ value: ['b', 'A', 'a', 'B'], vectorClass: 'collection', rationale: 'mixed case' });
  }
  values.push({
    value: { $: 'array-repeat', v: typical, n: 1_000_000 },
    vectorClass: 'collection',
    rationale: '10^6 elements',
  });
  if (depth === 0) {
    for (const candidate of valuesFor(
      shape.element,
      elementConstraints(constraints),
      language,
      seed,
      '',
      depth + 1,
    ).slice(0, 14)) {
      values.push({
        ...candidate,
        value: [typical, candidate.value],
        rationale: `an element that is ${candidate.rationale}`,
      });
    }
  }
  if (shape.element.kind === 'any' || shape.element.kind === 'array') {
    values.push({
      value: { $: 'nested', depth: 10_000, leaf: 1 },
      vectorClass: 'collection',
      rationale: 'nested 10,000 levels deep',
    });
  }
  if (language !== 'python') {
    values.push({
      value: {
        $: 'sparse',
        length: 3,
        v: [
          [0, typical],
          [2, typical],
        ],
      },
      vectorClass: 'collection',
      rationale: 'a sparse array with a hole',
    });
  }
  values.push({ value: [typical, null], vectorClass: 'null', rationale: 'a null element' });
  return values;
}

function recordValues(shape: Extract<TypeShape, { kind: 'record' }>, language: VectorLanguage): PoolValue[] {
  const typical = typicalFor(shape.value, {}, language);
  return [
    { value: { $: 'object', v: [] }, vectorClass: 'collection', rationale: 'empty object' },
    { value: { $: 'object', v: [['only', typical]] }, vectorClass: 'collection', rationale: 'one key' },
    {
      value: {
        $: 'object',
        v: [
          ['', typical],
          ['ключ 👍', typical],
        ],
      },
      vectorClass: 'unicode',
      rationale: 'empty and unicode keys',
    },
    {
      value: { $: 'object', v: [['__proto__', { $: 'object', v: [['polluted', typical]] }]] },
      vectorClass: 'security',
      rationale: 'prototype pollution: a "__proto__" key',
    },
    {
      value: {
        $: 'object',
        v: [
          ['constructor', { $: 'object', v: [['prototype', { $: 'object', v: [['polluted', typical]] }]] }],
        ],
      },
      vectorClass: 'security',
      rationale: 'prototype pollution: constructor.prototype',
    },
    {
      value: {
        $: 'object',
        v: Array.from({ length: 10_000 }, (_, index): [string, EncodedValue] => [`key${index}`, typical]),
      },
      vectorClass: 'collection',
      rationale: '10,000 keys',
    },
  ];
}

function objectValues(
  shape: Extract<TypeShape, { kind: 'object' }>,
  language: VectorLanguage,
  seed: number,
  depth: number,
): PoolValue[] {
  const typicalEntries = shape.properties.map((property): [string, EncodedValue] => [
    property.name,
    typicalFor(property.type, {}, language, property.name),
  ]);
  const make = (entries: [string, EncodedValue][]): EncodedValue => ({
    $: 'object',
    v: entries,
    ...(shape.className ? { class: shape.className } : {}),
  });
  const values: PoolValue[] = [];
  const requiredOnly = typicalEntries.filter((_, index) => !shape.properties[index]?.optional);
  if (requiredOnly.length < typicalEntries.length)
    values.push({
      value: make(requiredOnly),
      vectorClass: 'collection',
      rationale: 'optional properties left out',
    });
  if (depth < 2) {
    shape.properties.forEach((property, index) => {
      for (const candidate of valuesFor(property.type, {}, language, seed, property.name, depth + 1).slice(
        0,
        10,
      )) {
        const entries = typicalEntries.map((entry): [string, EncodedValue] => [entry[0], entry[1]]);
        entries[index] = [property.name, candidate.value];
        values.push({
          ...candidate,
          value: make(entries),
          rationale: `property ${property.name}: ${candidate.rationale}`,
        });
      }
    });
  }
  values.push({
    value: make([...typicalEntries, ['extra', 1]]),
    vectorClass: 'collection',
    rationale: 'an extra property',
  });
  if (!shape.className) {
    values.push({
      value: make([...typicalEntries, ['__proto__', { $: 'object', v: [['polluted', true]] }]]),
      vectorClass: 'security',
      rationale: 'prototype pollution: an extra "__proto__" key',
    });
  }
  requiredOnly.forEach((entry) => {
    values.push({
      value: make(typicalEntries.filter((other) => other[0] !== entry[0])),
      vectorClass: 'missing-argument',
      rationale: `required property ${entry[0]} missing`,
    });
  });
  return values;
}

function anyValues(language: VectorLanguage): PoolValue[] {
  const values: PoolValue[] = [
    { value: 0, vectorClass: 'boundary', rationale: 'zero' },
    { value: '', vectorClass: 'string', rationale: 'empty string' },
    { value: null, vectorClass: 'null', rationale: language === 'python' ? 'None' : 'null' },
    { value: [], vectorClass: 'collection', rationale: 'empty array' },
    { value: { $: 'object', v: [] }, vectorClass: 'collection', rationale: 'empty object' },
    { value: { $: 'nan' }, vectorClass: 'boundary', rationale: 'NaN' },
    { value: [1, 'two', null], vectorClass: 'collection', rationale: 'mixed array' },
    {
      value: { $: 'object', v: [['__proto__', { $: 'object', v: [['polluted', true]] }]] },
      vectorClass: 'security',
      rationale: 'prototype pollution key',
    },
    { value: "' OR '1'='1", vectorClass: 'security', rationale: 'SQL injection' },
    { value: '<script>alert(1)</script>', vectorClass: 'security', rationale: 'XSS' },
    {
      value: { $: 'nested', depth: 10_000, leaf: 1 },
      vectorClass: 'collection',
      rationale: 'nested 10,000 levels deep',
    },
  ];
  if (language !== 'python')
    values.splice(3, 0, { value: { $: 'undefined' }, vectorClass: 'null', rationale: 'undefined' });
  return values;
}

/** Values of other types than the declared one: robustness vectors, never blamed as bugs. */
function typeConfusion(shape: TypeShape, language: VectorLanguage): PoolValue[] {
  if (shape.kind === 'any' || shape.kind === 'unsupported') return [];
  const candidates: PoolValue[] = [
    { value: null, vectorClass: 'null', rationale: language === 'python' ? 'None' : 'null' },
    { value: '1', vectorClass: 'type-confusion', rationale: 'a numeric string' },
    { value: 1, vectorClass: 'type-confusion', rationale: 'a number' },
    { value: [], vectorClass: 'type-confusion', rationale: 'an array' },
    { value: { $: 'object', v: [] }, vectorClass: 'type-confusion', rationale: 'an object' },
    { value: true, vectorClass: 'type-confusion', rationale: 'a boolean' },
  ];
  if (language !== 'python')
    candidates.splice(1, 0, {
      value: { $: 'undefined' },
      vectorClass: 'null',
      rationale: 'undefined in place of a required value',
    });
  return candidates.filter((candidate) => !conformsToShape(candidate.value, shape, {}, language));
}
