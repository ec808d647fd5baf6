import { isDeepStrictEqual } from 'node:util';
import { describeType, elementType } from '../../model/types.ts';
import type { Value } from '../engine.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

const bounds = (g: GeneratorOf<'array'>) => {
  const min = g.min ?? 0;
  return { min, max: g.max ?? Math.max(min, 3) };
};

/** Draws of an element for one distinct element, before an array is left shorter. */
const TRIES = 8;

/**
 * An array column's value: between `min` and `max` elements, each from `of` (by default the
 * element type's generator) on the cell's random stream. With `distinct`, an element already in the
 * array is drawn again, a few times, so an array is shorter only when there are too few values.
 */
export const array: GeneratorKind<GeneratorOf<'array'>> = {
  check(g, at, { type, column, add }) {
    if (!type.array) add(at, `"array" needs an array column (such as text[]), and "${column.name}" is ${describeType(type)}`);
    if (g.min !== undefined && g.max !== undefined && g.min > g.max) add(`${at}/min`, `min ${g.min} is greater than max ${g.max}`);
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  nested: (g) => (g.of ? [['of', g.of]] : []),
  nestedContext: (cx) => ({ ...cx, type: elementType(cx.type) }),
  compile(g, cx) {
    const element = { ...cx.column, type: elementType(cx.column.type), unique: false };
    // without "of", the elements of the column's default generator (an array too)
    const of = g.of ?? (cx.defaultGenerator(cx.column) as GeneratorOf<'array'>).of!;
    const produce = cx.compile(of, cx.groupVia, element);
    const { min, max } = bounds(g);
    return (row, rng) => {
      const n = min + rng.int(max - min + 1);
      const out: Value[] = [];
      for (let tries = 0; out.length < n && tries < n * TRIES; tries++) {
        const v = produce(row, rng);
        if (!g.distinct || !out.some((x) => isDeepStrictEqual(x, v))) out.push(v);
      }
      return out;
    };
  },
  async verify(g, { rel, column, violations, where, fail }) {
    const { min, max } = bounds(g);
    const value = rel.value('r', column);
    const n = `cardinality(${value})`;
    // a distinct array may be shorter than min: there may be fewer distinct values
    const counted = `${n} > ${max}${g.distinct ? '' : ` OR ${n} < ${min}`}`;
    // DISTINCT, unlike count(DISTINCT …), counts a NULL element as a value
    const repeats = g.distinct ? `(SELECT count(*) FROM (SELECT DISTINCT e FROM unnest(${value}) AS e) AS d) <> ${n}` : 'false';
    const rows = await violations(
      `SELECT ${rel.row('r')}, ${n} AS _x0, ${repeats} AS _x1 FROM ${rel.as('r')} WHERE ${value} IS NOT NULL AND (${counted} OR ${repeats})`,
    );
    for (const { row, extra } of rows) {
      const length = Number(extra[0]);
      if (length > max || (!g.distinct && length < min)) fail('rule array', where(row), `${length} elements, not ${min}-${max}`);
      if (extra[1] === 'true') fail('rule array', where(row), `an element repeats in ${row[column.index]}`);
    }
  },
};
