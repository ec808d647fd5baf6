import { escapeIdentifier } from 'pg';
import type { ResolvedColumn } from '../model/resolve.ts';
import { isInteger, isJson, isNumeric, isTemporal, isText } from '../model/types.ts';
import { parseDecimal, rescale } from '../seed/decimal.ts';
import { parseTime } from '../seed/generators/coerce.ts';
import { canonical } from '../seed/verify/canonical.ts';

/**
 * What a column profile measures and how, stated once for both ways of computing it: SQL for
 * PostgreSQL tables and a stream for files. Each measure has a JS form, applied to the canonical text
 * of a value (src/seed/verify/canonical.ts), and an SQL form; the two give identical figures, which
 * the tests check on tables that have both a PostgreSQL and a file copy.
 */

/** Bars of a histogram at most; integer and date columns get whole-number bins. */
export const MAX_BINS = 20;
/** The most frequent values listed for strings, enums and booleans. */
export const TOP_VALUES = 10;

export const quote = escapeIdentifier;

/** Order of values for min/max and ties: numbers by value, dates chronologically, text by code point (SQL's "C" collation). */
export type OrderKey = number | bigint | string;

/** Columns without an order worth showing: JSON, and arrays (PostgreSQL orders them element by element, their text does not). */
const unordered = (c: ResolvedColumn) => c.type.array || isJson(c.type);

/** The key ordering a column's values, or undefined for JSON and arrays, which have no order here. */
export function orderKeyOf(c: ResolvedColumn): ((text: string) => OrderKey) | undefined {
  const t = c.type;
  if (unordered(c)) return undefined;
  switch (t.base) {
    case 'int':
    case 'smallint':
    case 'float':
    case 'real':
      return Number;
    case 'bigint':
      return BigInt;
    case 'decimal':
      return (s) => rescale(parseDecimal(s), t.scale);
    default:
      // dates, timestamps and times in canonical ISO form sort chronologically as text
      return (s) => s;
  }
}

/** The SQL expression min/max and ties order by, matching orderKeyOf. */
export function orderSql(c: ResolvedColumn): string | undefined {
  if (unordered(c)) return undefined;
  return isNumeric(c.type) || isTemporal(c.type) ? quote(c.name) : `${quote(c.name)}::text COLLATE "C"`;
}

/** What count(DISTINCT …) counts: json and xml have no equality operator, so their values are told apart by their text. */
export function distinctSql(c: ResolvedColumn): string {
  return c.type.base === 'json' || c.def.native === 'Xml' ? `${quote(c.name)}::text` : quote(c.name);
}

/** Code-point order, which is UTF-8 byte order and so PostgreSQL's "C" collation (JS's `<` compares UTF-16 units). */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (code points above U+FFFF) rank after U+E000–U+FFFF. */
const codePointRank = (u: number) => (u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u);

export function compareKeys(a: OrderKey, b: OrderKey): number {
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Which columns get a histogram (numbers and dates) and which a list of top values (text, enums, booleans). */
export const hasHistogram = (c: ResolvedColumn) => isNumeric(c.type) || isTemporal(c.type);
export const hasTopValues = (c: ResolvedColumn) =>
  !c.type.array && !c.def.native && (isText(c.type) || c.type.base === 'enum' || c.type.base === 'boolean');

/** Whole-number bins: integers and dates (counted in days). */
const isIntegral = (c: ResolvedColumn) => isInteger(c.type) || c.type.base === 'date';

/** Instants on the axis in epoch milliseconds (times of day: since midnight). */
const isInstant = (c: ResolvedColumn) => isTemporal(c.type) && c.type.base !== 'date';

const MS_PER_DAY = 86_400_000;

/** A histogram column's value on its axis: the number, the day number of a date, the epoch milliseconds of a datetime. */
export function axisValueOf(c: ResolvedColumn): (text: string) => number {
  if (c.type.base === 'date') return (s) => Date.parse(s) / MS_PER_DAY;
  if (isInstant(c)) return parseTime;
  return Number;
}

/** The same axis value in SQL, as float8. */
export function axisSql(c: ResolvedColumn): string {
  const col = quote(c.name);
  if (c.type.base === 'date') return `(${col} - DATE '1970-01-01')::float8`;
  if (isInstant(c)) return `(extract(epoch from ${col}) * 1000)::float8`;
  return `${col}::float8`;
}

/**
 * How axis values fall into bins: bin i holds the values from edges[i - 1] (inclusive) up to edges[i].
 * Both sides only compare values with the same edges (JS here, width_bucket in SQL), so they agree
 * exactly, and no arithmetic on the values can overflow or underflow.
 */
export interface Binning {
  lower: number;
  upper: number;
  /** Whole-number bins: a bin's range ends one below the next edge. */
  integral: boolean;
  edges: number[];
}

export function binningOf(c: ResolvedColumn, lower: number, upper: number): Binning {
  const edges: number[] = [];
  if (isIntegral(c)) {
    const step = Math.max(1, Math.ceil((upper - lower + 1) / MAX_BINS));
    for (let edge = lower + step; edge <= upper; edge += step) edges.push(edge);
  } else if (upper > lower) {
    // a weighted mean, which cannot overflow however far apart lower and upper are
    for (let k = 1; k < MAX_BINS; k++) edges.push(lower * ((MAX_BINS - k) / MAX_BINS) + upper * (k / MAX_BINS));
  }
  return { lower, upper, integral: isIntegral(c), edges: edges.filter((e, i) => e > lower && e <= upper && e !== edges[i - 1]) };
}

/** The bin of axis value `v`: how many edges are at or below it. */
export function binOf(b: Binning, v: number): number {
  let lo = 0;
  let hi = b.edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b.edges[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function binSql(b: Binning, axis: string): { sql: string; params: unknown[] } {
  return { sql: `width_bucket(${axis}, $1::float8[])`, params: [b.edges] };
}

/** A bin's range in the column's own terms: numbers, or ISO dates and times. Integral ranges are inclusive. */
export function binRange(c: ResolvedColumn, b: Binning, i: number): { from: string; to: string } {
  const show = (v: number) =>
    c.type.base === 'date'
      ? new Date(v * MS_PER_DAY).toISOString().slice(0, 10)
      : isInstant(c)
        ? canonical(c, new Date(Math.round(v)).toISOString())!
        : String(Number(v.toPrecision(10)));
  const from = i === 0 ? b.lower : b.edges[i - 1]!;
  const to = i === b.edges.length ? b.upper : b.integral ? b.edges[i]! - 1 : b.edges[i]!;
  return { from: show(from), to: show(to) };
}
