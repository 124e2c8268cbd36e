import type { VectorLanguage } from './analyzed-function.ts';
import type { EncodedValue } from './encoded-value.ts';
import type { ParameterConstraints, TypeShape } from './type-shape.ts';

type Tagged = Extract<EncodedValue, { $: string }>;

function tagOf(value: EncodedValue): Tagged['$'] | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value.$ : undefined;
}

/** The number an encoded value stands for, or `undefined` when it is not a number. */
export function numericValue(value: EncodedValue): number | undefined {
  if (typeof value === 'number') return value;
  switch (tagOf(value)) {
    case 'nan':
      return NaN;
    case 'infinity':
      return Infinity;
    case '-infinity':
      return -Infinity;
    case '-0':
      return -0;
    case 'bigint':
      return Number((value as { v: string }).v);
    default:
      return undefined;
  }
}

/** The elements of an encoded array-like value (array, tuple, repeat), or `undefined`. */
export function elementsOf(value: EncodedValue): EncodedValue[] | undefined {
  if (Array.isArray(value)) return value;
  const tag = tagOf(value);
  if (tag === 'tuple' || tag === 'set') return (value as { v: EncodedValue[] }).v;
  if (tag === 'array-repeat') {
    const repeated = value as { v: EncodedValue; n: number };
    return repeated.n > 0 ? [repeated.v] : [];
  }
  if (tag === 'nested') return [(value as { leaf: EncodedValue }).leaf];
  return undefined;
}

function lengthOf(value: EncodedValue): number | undefined {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  const tag = tagOf(value);
  if (tag === 'repeat') return (value as { v: string; n: number }).v.length * (value as { n: number }).n;
  if (tag === 'array-repeat') return (value as { n: number }).n;
  if (tag === 'tuple' || tag === 'set') return (value as { v: unknown[] }).v.length;
  if (tag === 'sparse') return (value as { length: number }).length;
  if (tag === 'nested') return 1;
  return undefined;
}

/**
 * Whether an encoded value is of a type shape and satisfies documented constraints. Used twice: to label a
 * vector valid or robustness, and as the oracle that a returned value has the declared return type.
 * Python's numeric tower is honoured (an int is a valid float, a bool is not a valid int here).
 *
 * @example conformsToShape(3, { kind: 'number', integer: true }, {}, 'python') // => true
 */
export function conformsToShape(
  value: EncodedValue,
  shape: TypeShape,
  constraints: ParameterConstraints,
  language: VectorLanguage,
): boolean {
  if (!matchesShape(value, shape, language, constraints.integer === true)) return false;
  return satisfiesConstraints(value, constraints);
}

function matchesShape(
  value: EncodedValue,
  shape: TypeShape,
  language: VectorLanguage,
  integer: boolean,
): boolean {
  const tag = tagOf(value);
  // Values the executor could only summarise cannot be judged.
  if (tag === 'truncated' || tag === 'opaque') return true;
  switch (shape.kind) {
    case 'any':
    case 'unsupported':
      return true;
    case 'void':
    case 'undefined':
      return tag === 'undefined' || (language === 'python' && value === null);
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'literal':
      return value === shape.value;
    case 'number': {
      const wantsInteger = shape.integer === true || integer;
      if (typeof value === 'number') return !wantsInteger || Number.isInteger(value);
      if (tag === 'bigint') return language === 'python';
      if (tag === '-0') return !(language === 'python' && shape.integer);
      if (tag === 'nan' || tag === 'infinity' || tag === '-infinity') return !wantsInteger;
      return false;
    }
    case 'bigint':
      return (
        tag === 'bigint' || (language === 'python' && typeof value === 'number' && Number.isInteger(value))
      );
    case 'string':
      return typeof value === 'string' || tag === 'repeat';
    case 'date':
      return tag === 'date' && (value as { v: string | null }).v !== null;
    case 'union':
      return shape.options.some((option) => matchesShape(value, option, language, integer));
    case 'array': {
      // `tuple[T, ...]` is read as an array of T, so a Python tuple of T is one.
      if (tag === 'tuple' && language === 'python')
        return (elementsOf(value) ?? []).every((element) =>
          matchesShape(element, shape.element, language, integer),
        );
      if (!(Array.isArray(value) || tag === 'array-repeat' || tag === 'nested' || tag === 'sparse'))
        return false;
      if (tag === 'sparse')
        return (
          shape.element.kind === 'any' || matchesShape({ $: 'undefined' }, shape.element, language, integer)
        );
      if (tag === 'nested') return shape.element.kind === 'any' || shape.element.kind === 'array';
      return (elementsOf(value) ?? []).every((element) =>
        matchesShape(element, shape.element, language, integer),
      );
    }
    case 'tuple': {
      const elements =
        language === 'python'
          ? tag === 'tuple'
            ? elementsOf(value)
            : undefined
          : Array.isArray(value)
            ? value
            : undefined;
      return (
        elements !== undefined &&
        elements.length === shape.elements.length &&
        elements.every((element, index) =>
          matchesShape(element, shape.elements[index] ?? { kind: 'any' }, language, false),
        )
      );
    }
    case 'set':
      return (
        tag === 'set' &&
        (elementsOf(value) ?? []).every((element) => matchesShape(element, shape.element, language, false))
      );
    case 'record':
      return (
        tag === 'object' &&
        (value as { v: [string, EncodedValue][] }).v.every(([, entry]) =>
          matchesShape(entry, shape.value, language, false),
        )
      );
    case 'object': {
      if (tag !== 'object') return false;
      const entries = new Map((value as { v: [string, EncodedValue][] }).v);
      return shape.properties.every((property) => {
        const present = entries.get(property.name);
        if (present === undefined) return property.optional;
        return matchesShape(present, property.type, language, false);
      });
    }
  }
}

function satisfiesConstraints(value: EncodedValue, constraints: ParameterConstraints): boolean {
  const number = numericValue(value);
  if (number !== undefined) {
    if (constraints.minimum !== undefined && !(number >= constraints.minimum)) return false;
    if (constraints.maximum !== undefined && !(number <= constraints.maximum)) return false;
    if (constraints.exclusiveMinimum !== undefined && !(number > constraints.exclusiveMinimum)) return false;
    if (constraints.exclusiveMaximum !== undefined && !(number < constraints.exclusiveMaximum)) return false;
    if (constraints.integer && !Number.isInteger(number)) return false;
  }
  const elements = elementsOf(value);
  // "values, between 0 and 100" bounds the elements of a list.
  if (elements && number === undefined && hasNumericBounds(constraints)) {
    const bounds = { ...constraints, nonEmpty: false, sorted: false };
    if (
      !elements.every(
        (element) => numericValue(element) === undefined || satisfiesConstraints(element, bounds),
      )
    )
      return false;
  }
  if (elements && constraints.integer && number === undefined) {
    if (!elements.every((element) => Number.isInteger(numericValue(element)))) return false;
  }
  if (constraints.nonEmpty && lengthOf(value) === 0) return false;
  if (constraints.sorted && elements) {
    for (let index = 1; index < elements.length; index += 1) {
      const previous = elements[index - 1] ?? null;
      const current = elements[index] ?? null;
      if (compareEncoded(previous, current) > 0) return false;
    }
  }
  return true;
}

function hasNumericBounds(constraints: ParameterConstraints): boolean {
  return (
    constraints.minimum !== undefined ||
    constraints.maximum !== undefined ||
    constraints.exclusiveMinimum !== undefined ||
    constraints.exclusiveMaximum !== undefined
  );
}

/** Orders encoded scalars: numbers numerically, strings by code unit, everything else by JSON text. */
export function compareEncoded(left: EncodedValue, right: EncodedValue): number {
  const leftNumber = numericValue(left);
  const rightNumber = numericValue(right);
  if (leftNumber !== undefined && rightNumber !== undefined) return leftNumber - rightNumber;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  const leftText = JSON.stringify(left);
  const rightText = JSON.stringify(right);
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}
