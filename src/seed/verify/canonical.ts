import type { ResolvedColumn } from '../../model/resolve.ts';
import { elementType, type ColumnType } from '../../model/types.ts';
import { parseTime } from '../generators/coerce.ts';

/** A row read back from a destination, every value in one canonical text form (or null). */
export type CanonRow = (string | null)[];

const DAY = 86_400_000;

/**
 * One canonical text per value, whatever the destination: what makes dual copies comparable. An
 * array is read from JSON text (CSV, PostgreSQL's to_json) or a JSON array (JSON files), and is
 * a JSON array of its elements' canonical texts.
 */
export function canonical(c: ResolvedColumn, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (!c.type.array) return scalar(c.type, v);
  // numbers in a JSON array lose a decimal's scale (to_json writes 1.50, JSON.parse reads 1.5): compare them as numbers
  const element: ColumnType = c.type.base === 'decimal' ? { base: 'float' } : elementType(c.type);
  const list = (typeof v === 'string' ? JSON.parse(v) : v) as unknown[];
  return JSON.stringify(list.map((e) => (e === null || e === undefined ? null : scalar(element, e))));
}

function scalar(t: ColumnType, v: unknown): string {
  switch (t.base) {
    case 'datetime':
    case 'timestamptz':
      return new Date(String(v)).toISOString();
    case 'timestamp':
      return new Date(parseTime(String(v))).toISOString().slice(0, -1); // no time zone: no Z
    case 'time':
    case 'timetz': {
      const ms = parseTime(String(v)); // timetz: the same instant of the day in UTC
      return new Date(((ms % DAY) + DAY) % DAY).toISOString().slice(11, 23);
    }
    case 'boolean':
      return v === true || v === 't' || v === 'true' ? 'true' : 'false';
    case 'int':
    case 'smallint':
    case 'bigint':
    case 'float':
    case 'real':
      return String(Number(v));
    case 'json':
    case 'jsonb':
      // jsonb orders keys its own way: compare with keys sorted
      return JSON.stringify(sortKeys(typeof v === 'string' ? JSON.parse(v) : v));
    case 'char':
      return String(v).padEnd(t.length); // PostgreSQL pads char(n) with spaces
    case 'bytea':
      return String(v).toLowerCase();
    default:
      return String(v);
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
  );
}
