import type { ResolvedColumn } from '../../model/resolve.ts';
import { elementType, type ColumnType } from '../../model/types.ts';
import { formatUnits, fromNumber, parseDecimal, rescale } from '../decimal.ts';
import type { Value } from '../engine.ts';

/** Brings a generator's (or an override's) raw output to the column's value representation. */
export function coerce(v: unknown, col: ResolvedColumn): Value {
  if (col.type.array) {
    const element = { ...col, type: elementType(col.type) };
    return (Array.isArray(v) ? v : [v]).map((e) => (e === null || e === undefined ? null : coerce(e, element)));
  }
  switch (col.type.base) {
    case 'int':
    case 'smallint':
      return typeof v === 'number' ? Math.trunc(v) : Number.parseInt(String(v), 10);
    case 'bigint':
      return BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
    case 'float':
      return Number(v);
    case 'real':
      return toReal(Number(v));
    case 'decimal':
      return typeof v === 'number'
        ? fromNumber(v, col.type.scale)
        : formatUnits(rescale(parseDecimal(String(v)), col.type.scale), col.type.scale);
    case 'boolean':
      return v === true || v === 'true';
    case 'date':
    case 'datetime':
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz':
      return v instanceof Date ? formatTime(v.getTime(), col.type) : String(v);
    case 'json':
    case 'jsonb':
      return typeof v === 'object' && v !== null ? v : { value: v };
    case 'bytea':
      return v instanceof Uint8Array
        ? hexBytes(v)
        : typeof v === 'string' && /^\\x([0-9a-f]{2})*$/i.test(v)
          ? v.toLowerCase()
          : hexBytes(Buffer.from(String(v)));
    default:
      return v === null || v === undefined ? null : String(v);
  }
}

/**
 * What a column's type makes of a generated value, as PostgreSQL would store it, so that files and
 * the database hold the same: a varchar cut to its length, a char(n) padded with spaces to n, a real
 * rounded to the 6 significant digits a float4 keeps. Undefined when the type keeps every value.
 */
export function fitToType(type: ColumnType): ((v: Value) => Value) | undefined {
  const fit = fitScalar(elementType(type));
  if (!fit || !type.array) return fit;
  return (v) => (Array.isArray(v) ? v.map((e: Value) => (e === null ? null : fit(e))) : v);
}

function fitScalar(t: ColumnType): ((v: Value) => Value) | undefined {
  if (t.base === 'string' && t.length !== undefined) {
    const n = t.length;
    return (v) => (typeof v === 'string' && v.length > n ? v.slice(0, n) : v);
  }
  if (t.base === 'char') {
    const n = t.length;
    // PostgreSQL pads char(n) with spaces: the files carry the padded value too
    return (v) => (typeof v === 'string' ? (v.length > n ? v.slice(0, n) : v.padEnd(n)) : v);
  }
  if (t.base === 'real') return (v) => (typeof v === 'number' ? toReal(v) : v);
  return undefined;
}

/** A float4 keeps 6 significant decimal digits exactly (FLT_DIG): such a number reads back as written. */
export function toReal(x: number): number {
  return Number(x.toPrecision(6));
}

/** Bytes as PostgreSQL's hex format for bytea: "\x" and two hex digits a byte. */
export function hexBytes(bytes: Uint8Array): string {
  return '\\x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const DAY = 86_400;
/** "YYYY-MM-DD" by day number since 1970: toISOString is the costliest step of a timestamp column (profiled), and dates repeat. */
const days = new Map<number, string>();
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * A point in time, in whole seconds, as the column's type writes it: date "2024-05-01",
 * datetime/timestamptz "2024-05-01T10:20:30.000Z", timestamp (without time zone) "2024-05-01T10:20:30",
 * time "10:20:30", timetz "10:20:30+00" (the texts toISOString gives, cut).
 */
export function formatTime(ms: number, type: ColumnType): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / DAY);
  const s = seconds - day * DAY;
  const clock = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  if (type.base === 'time') return clock;
  if (type.base === 'timetz') return `${clock}+00`;
  let date = days.get(day);
  if (date === undefined) {
    if (days.size > 100_000) days.clear();
    const iso = new Date(day * DAY * 1000).toISOString();
    date = iso.slice(0, iso.indexOf('T'));
    days.set(day, date);
  }
  switch (type.base) {
    case 'date':
      return date.slice(0, 10);
    case 'timestamp':
      return `${date}T${clock}`;
    default:
      return `${date}T${clock}.000Z`;
  }
}

const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Milliseconds of a date, timestamp or time of day (since midnight UTC) as the model or a
 * destination writes it; a timestamp without a time zone is read as UTC. NaN when it is none.
 */
export function parseTime(text: string): number {
  const t = TIME_OF_DAY.exec(text);
  if (t) {
    const offset = t[5] ? (t[5] === '-' ? -1 : 1) * (Number(t[6]) * 60 + Number(t[7] ?? 0)) * 60_000 : 0;
    return (Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3] ?? 0)) * 1000 - offset;
  }
  const local = /[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  return Date.parse(local ? `${text.replace(' ', 'T')}Z` : text);
}
