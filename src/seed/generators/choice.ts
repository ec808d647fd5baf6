import { escapeLiteral } from 'pg';
import { describeType, isNumeric, isTemporal } from '../../model/types.ts';
import type { Value } from '../engine.ts';
import { coerce } from './coerce.ts';
import type { GeneratorKind, GeneratorOf, RowSource } from './kind.ts';

/** Rows read to place the ranked values: all of them up to this many, else this many spread evenly. */
const SAMPLE = 8192;

/**
 * One of a list of values, optionally weighted. With `rank`, the ranked values follow another
 * column's order (the newest orders pending, the oldest delivered) and keep their weights overall:
 * a row first draws ranked or not by weight, and a ranked row takes the stage its value's quantile
 * falls in. The other values fall anywhere (cancellations at any age).
 */
export const choice: GeneratorKind<GeneratorOf<'choice'>> = {
  check(g, at, { table, type, column, typeOf, add }) {
    if (g.weights && g.weights.length !== g.values.length)
      add(`${at}/weights`, `${g.weights.length} weights for ${g.values.length} values`, 'give one weight per value');
    if (g.weights && g.weights.every((w) => w === 0)) add(`${at}/weights`, 'all weights are zero');
    if (type.base === 'enum')
      g.values.forEach((v, i) => {
        if (!column.values?.includes(String(v)))
          add(`${at}/values/${i}`, `"${v}" is not a value of enum column "${column.name}"`, `use one of: ${column.values?.join(', ')}`);
      });
    if (g.rank) {
      const by = typeOf(table.name, g.rank.column);
      if (!by) add(`${at}/rank/column`, `column "${g.rank.column}" does not exist in table "${table.name}"`);
      else if (!isNumeric(by) && !isTemporal(by))
        add(`${at}/rank/column`, `"rank" needs a number, date or datetime column, and "${g.rank.column}" is ${describeType(by)}`);
      g.rank.values.forEach((v, i) => {
        if (!g.values.includes(v)) add(`${at}/rank/values/${i}`, `${JSON.stringify(v)} is not one of the values`);
      });
      if (new Set(g.rank.values).size !== g.rank.values.length) add(`${at}/rank/values`, 'a value appears twice');
    }
  },
  cannotRepeat: () => false,
  rowDependencies: (g) => (g.rank ? [g.rank.column] : []),
  compile(g, { column, rows }) {
    const weights = g.weights ?? g.values.map(() => 1);
    const pick = picker(weights);
    const values = g.values.map((v) => coerce(v, column));
    if (!g.rank) return (_row, rng) => values[pick(rng.next())]!;
    const rank = g.rank;
    const ranked = rank.values.map((v) => g.values.indexOf(v));
    const rankedWeight = ranked.reduce((a, i) => a + weights[i]!, 0);
    const total = weights.reduce((a, b) => a + b, 0);
    const free = g.values.map((_v, i) => (ranked.includes(i) ? 0 : weights[i]!));
    const pickFree = free.some((w) => w > 0) ? picker(free) : undefined;
    const pickRanked = picker(ranked.map((i) => weights[i]!));
    const sign = rank.order === 'desc' ? -1 : 1;
    let bounds: number[] | undefined; // upper bound of each stage but the last, in sign × value
    return (row, rng) => {
      if (!pickFree || rng.next() * total < rankedWeight) {
        const v = rows.value(row, rank.column);
        if (v === null) return values[ranked[pickRanked(rng.next())]!]!;
        bounds ??= stageBounds(
          rows,
          rank.column,
          sign,
          ranked.map((i) => weights[i]!),
        );
        const x = sign * asNumber(v);
        let stage = 0;
        while (stage < bounds.length && x > bounds[stage]!) stage++;
        return values[ranked[stage]!]!;
      }
      return values[pickFree(rng.next())]!;
    };
  },
  async verify(g, { table, rel, column, stream, where, fail }) {
    if (!g.rank) return;
    const rank = g.rank;
    const by = table.columns.find((c) => c.name === rank.column)!;
    const stage = `array_position(ARRAY[${rank.values.map((v) => escapeLiteral(String(v))).join(', ')}]::text[], ${rel.value('r', column)}::text)`;
    // ranked rows in the column's order; their stages must never go back
    const ranked = `SELECT ${rel.row('r')}, ${stage} AS _x0 FROM ${rel.as('r')}
      WHERE ${rel.value('r', by)} IS NOT NULL AND ${stage} IS NOT NULL
      ORDER BY ${rel.value('r', by)} ${rank.order === 'desc' ? 'DESC' : 'ASC'}, ${stage}, ${rel.orderByKey('r')}`;
    // the stages are all this keeps: one small number per ranked row
    const stages: number[] = [];
    await stream(ranked, (rows) => {
      for (const { extra } of rows) stages.push(Number(extra[0]) - 1);
    });
    const kept = longestOrdered(stages);
    if (kept.every(Boolean)) return;
    // the rows outside the longest ordered run are the misplaced ones: blame them, not their neighbours
    let i = 0;
    let among = 0;
    await stream(ranked, (rows) => {
      for (const { row } of rows) {
        if (kept[i++]) {
          among = stages[i - 1]!;
          continue;
        }
        fail(
          'rule rank',
          where(row),
          `"${row[column.index]}" but ${by.name} ${row[by.index]} is among "${rank.values[among]}" rows (${rank.order === 'desc' ? 'highest' : 'lowest'} ${by.name} first: ${rank.values.join(', ')})`,
        );
      }
    });
  },
};

/** Which elements belong to a longest non-decreasing subsequence of `xs` (patience sorting, O(n log n)). */
function longestOrdered(xs: number[]): boolean[] {
  const tails: number[] = []; // index of the last element of the best run of each length
  const previous = new Array<number>(xs.length).fill(-1);
  xs.forEach((x, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (xs[tails[mid]!]! <= x) lo = mid + 1;
      else hi = mid;
    }
    previous[i] = lo > 0 ? tails[lo - 1]! : -1;
    tails[lo] = i;
  });
  const kept = new Array<boolean>(xs.length).fill(false);
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]!) kept[i] = true;
  return kept;
}

/** Index of a value from a uniform draw `u`, by relative weights. */
function picker(weights: number[]): (u: number) => number {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const w of weights) cum.push((acc += w) / total);
  return (u) => {
    let i = 0;
    while (i < cum.length - 1 && u >= cum[i]!) i++;
    return i;
  };
}

/** Numbers, decimals and timestamps as numbers that order like them. */
function asNumber(v: Value | string): number {
  return typeof v === 'string' && !/^-?[\d.]+$/.test(v) ? Date.parse(v) : Number(v);
}

/**
 * The quantiles of the column at the stages' cumulative weights, from every row up to SAMPLE
 * rows (exact), from SAMPLE rows spread evenly beyond (within about 1 % of the weights).
 */
function stageBounds(rows: RowSource, column: string, sign: number, weights: number[]): number[] {
  const n = Math.min(rows.count, SAMPLE);
  const sample: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = rows.value(Math.floor((i * rows.count) / n), column);
    if (v !== null) sample.push(sign * asNumber(v));
  }
  sample.sort((a, b) => a - b);
  const total = weights.reduce((a, b) => a + b, 0);
  const bounds: number[] = [];
  let acc = 0;
  for (const w of weights.slice(0, -1)) {
    acc += w;
    const k = Math.round((acc / total) * sample.length);
    bounds.push(k === 0 ? Number.NEGATIVE_INFINITY : sample[k - 1]!);
  }
  return bounds;
}
