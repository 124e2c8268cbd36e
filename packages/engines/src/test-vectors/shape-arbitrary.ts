import fc from 'fast-check';
import type { VectorLanguage } from './analyzed-function.ts';
import type { EncodedValue } from './encoded-value.ts';
import type { ParameterConstraints, TypeShape } from './type-shape.ts';

/**
 * A fast-check arbitrary of `EncodedValue`s for a type shape and its documented constraints: the values
 * explore the contract (property exploration never produces robustness vectors), and fast-check's shrinking
 * works on them like on any other arbitrary.
 *
 * @example fc.sample(shapeArbitrary({ kind: 'number', integer: true }, { minimum: 1 }, 'python'), { seed: 1, numRuns: 2 })
 */
export function shapeArbitrary(
  shape: TypeShape,
  constraints: ParameterConstraints,
  language: VectorLanguage,
  depth = 0,
): fc.Arbitrary<EncodedValue> {
  switch (shape.kind) {
    case 'number': {
      const minimum =
        constraints.minimum ??
        (constraints.exclusiveMinimum !== undefined ? constraints.exclusiveMinimum : undefined);
      const maximum =
        constraints.maximum ??
        (constraints.exclusiveMaximum !== undefined ? constraints.exclusiveMaximum : undefined);
      if (shape.integer || constraints.integer) {
        const low = Math.max(
          Number.MIN_SAFE_INTEGER,
          Math.ceil(minimum ?? -1_000_000) +
            (constraints.exclusiveMinimum !== undefined && constraints.minimum === undefined ? 1 : 0),
        );
        const high = Math.min(
          Number.MAX_SAFE_INTEGER,
          Math.floor(maximum ?? 1_000_000) -
            (constraints.exclusiveMaximum !== undefined && constraints.maximum === undefined ? 1 : 0),
        );
        return low <= high ? fc.integer({ min: low, max: high }) : fc.constant(low);
      }
      return fc
        .double({
          noNaN: true,
          noDefaultInfinity: true,
          min: minimum ?? -1e9,
          max: maximum ?? 1e9,
          minExcluded: constraints.exclusiveMinimum !== undefined && constraints.minimum === undefined,
          maxExcluded: constraints.exclusiveMaximum !== undefined && constraints.maximum === undefined,
        })
        .map((value): EncodedValue => (Object.is(value, -0) ? { $: '-0' } : value));
    }
    case 'string':
      return fc
        .oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ unit: 'grapheme', maxLength: 20 }),
          fc.string({ unit: 'binary', maxLength: 20 }),
        )
        .filter((text) => !constraints.nonEmpty || text.length > 0);
    case 'boolean':
      return fc.boolean();
    case 'bigint':
      return fc
        .bigInt({ min: -(2n ** 70n), max: 2n ** 70n })
        .map((value): EncodedValue => ({ $: 'bigint', v: value.toString() }));
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant<EncodedValue>(language === 'python' ? null : { $: 'undefined' });
    case 'literal':
      return fc.constant(shape.value);
    case 'union':
      return shape.options.length > 0
        ? fc.oneof(...shape.options.map((option) => shapeArbitrary(option, constraints, language, depth + 1)))
        : fc.constant(null);
    case 'array': {
      const element =
        depth > 3
          ? fc.constant<EncodedValue>(null)
          : shapeArbitrary(shape.element, constraints.integer ? { integer: true } : {}, language, depth + 1);
      let arbitrary = fc.array(element, { minLength: constraints.nonEmpty ? 1 : 0, maxLength: 12 });
      if (constraints.sorted) arbitrary = arbitrary.map((values) => [...values].sort(compareForSort));
      return arbitrary;
    }
    case 'tuple': {
      const tuple = fc.tuple(
        ...shape.elements.map((element) => shapeArbitrary(element, {}, language, depth + 1)),
      );
      return language === 'python'
        ? tuple.map((elements): EncodedValue => ({ $: 'tuple', v: elements }))
        : tuple;
    }
    case 'set':
      return fc
        .uniqueArray(shapeArbitrary(shape.element, {}, language, depth + 1), {
          maxLength: 8,
          selector: (value) => JSON.stringify(value),
        })
        .map((elements): EncodedValue => ({ $: 'set', v: elements }));
    case 'record':
      return fc
        .dictionary(fc.string({ maxLength: 8 }), shapeArbitrary(shape.value, {}, language, depth + 1), {
          maxKeys: 6,
        })
        .map((record): EncodedValue => ({ $: 'object', v: Object.entries(record) }));
    case 'object': {
      const properties = shape.properties.map((property) =>
        shapeArbitrary(property.type, {}, language, depth + 1).map(
          (value): [string, EncodedValue, boolean] => [property.name, value, property.optional],
        ),
      );
      return fc
        .tuple(
          ...properties,
          fc.array(fc.boolean(), { minLength: properties.length, maxLength: properties.length }),
        )
        .map((parts): EncodedValue => {
          const include = parts[parts.length - 1] as boolean[];
          const entries = (parts.slice(0, -1) as [string, EncodedValue, boolean][])
            .filter(([, , optional], index) => !optional || include[index])
            .map(([name, value]): [string, EncodedValue] => [name, value]);
          return { $: 'object', v: entries, ...(shape.className ? { class: shape.className } : {}) };
        });
    }
    case 'date':
      return fc
        .date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((date): EncodedValue => ({ $: 'date', v: date.toISOString() }));
    case 'any':
    case 'unsupported':
      return fc.oneof(
        fc.integer(),
        fc.string({ maxLength: 10 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 4 }),
      );
  }
}

function compareForSort(left: EncodedValue, right: EncodedValue): number {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  const leftText = typeof left === 'string' ? left : JSON.stringify(left);
  const rightText = typeof right === 'string' ? right : JSON.stringify(right);
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}
