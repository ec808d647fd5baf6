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

/** A timestamp in whole seconds as ISO text, or its date alone. */
export function formatTime(ms: number, dateOnly: boolean): string {
  const d = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return dateOnly ? d.slice(0, 10) : d;
}
