import type { ResolvedColumn } from '../../model/resolve.ts';
import { formatUnits, fromNumber, parseDecimal, rescale } from '../decimal.ts';
import type { Value } from '../engine.ts';

/** Brings a generator's (or an override's) raw output to the column's value representation. */
export function coerce(v: unknown, col: ResolvedColumn): Value {
  switch (col.type.base) {
    case 'int':
      return typeof v === 'number' ? Math.trunc(v) : Number.parseInt(String(v), 10);
    case 'bigint':
      return BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
    case 'float':
      return Number(v);
    case 'decimal':
      return typeof v === 'number'
        ? fromNumber(v, col.type.scale)
        : formatUnits(rescale(parseDecimal(String(v)), col.type.scale), col.type.scale);
    case 'boolean':
      return v === true || v === 'true';
    case 'date':
    case 'datetime':
      return v instanceof Date ? formatTime(v.getTime(), col.type.base === 'date') : String(v);
    case 'json':
      return typeof v === 'object' && v !== null ? v : { value: v };
    default:
      return v === null || v === undefined ? null : String(v);
  }
}

const DAY = 86_400;
/** "YYYY-MM-DD" by day number since 1970: toISOString is the costliest step of a timestamp column (profiled), and dates repeat. */
const days = new Map<number, string>();
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** A timestamp in whole seconds as ISO text (as toISOString writes it), or its date alone. */
export function formatTime(ms: number, dateOnly: boolean): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / DAY);
  let date = days.get(day);
  if (date === undefined) {
    if (days.size > 100_000) days.clear();
    const iso = new Date(day * DAY * 1000).toISOString();
    date = iso.slice(0, iso.indexOf('T'));
    days.set(day, date);
  }
  if (dateOnly) return date.slice(0, 10);
  const s = seconds - day * DAY;
  return `${date}T${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.000Z`;
}
