import { TYPE_PATTERN } from './schema.ts';

/** A column type string of the model ("decimal(12,2)", "text[]") in structured form. */
export type ScalarType =
  | {
      base:
        | 'int'
        | 'bigint'
        | 'smallint'
        | 'text'
        | 'boolean'
        | 'float'
        | 'real'
        | 'date'
        | 'datetime'
        | 'uuid'
        | 'json'
        | 'jsonb'
        | 'bytea'
        | 'enum';
    }
  | { base: 'string'; length?: number }
  | { base: 'char'; length: number }
  | { base: 'decimal'; precision: number; scale: number }
  /** Without a precision in the model, PostgreSQL's default: 6 (microseconds). */
  | { base: 'timestamp' | 'timestamptz' | 'time' | 'timetz'; precision: number };

/** A scalar type, or (`array`) a one-dimensional array of it. */
export type ColumnType = ScalarType & { array?: true };

export type BaseType = ColumnType['base'];

/** PostgreSQL's default precision of timestamps and times. */
export const DEFAULT_TIME_PRECISION = 6;

export function parseColumnType(text: string): ColumnType | undefined {
  const m = TYPE_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const array = m[8] !== undefined ? { array: true as const } : {};
  if (m[2] !== undefined) return { base: 'string', length: Number(m[2]), ...array };
  if (m[3] !== undefined) return { base: 'char', length: Number(m[3]), ...array };
  if (m[4] !== undefined) return { base: 'decimal', precision: Number(m[4]), scale: Number(m[5]), ...array };
  if (m[6] !== undefined)
    return {
      base: m[6] as 'timestamp' | 'timestamptz' | 'time' | 'timetz',
      precision: m[7] !== undefined ? Number(m[7]) : DEFAULT_TIME_PRECISION,
      ...array,
    };
  return { base: m[1] as Extract<ScalarType, { base: 'int' }>['base'], ...array } as ColumnType;
}

/** The type of one element of an array type (the type itself when it is no array). */
export function elementType(t: ColumnType): ColumnType {
  if (!t.array) return t;
  const { array: _, ...element } = t;
  return element as ColumnType;
}

/**
 * Types a foreign key may have given the referenced column's type: what PostgreSQL compares with the
 * referenced key's index and Prisma maps to the same scalar — smallint and int (Int), varchar of
 * any length and text (String); otherwise the same type.
 */
export function sameKeyType(a: ColumnType, b: ColumnType): boolean {
  if (a.array || b.array) return false;
  const family = (t: ColumnType) => (t.base === 'smallint' ? 'int' : t.base === 'text' ? 'string' : t.base);
  return family(a) === family(b) && (a.base !== 'decimal' || (b.base === 'decimal' && a.precision === b.precision && a.scale === b.scale));
}

/** Prisma's scalar for a type: a relation's two sides must have the same one. */
export function prismaScalar(t: ColumnType): string {
  const scalars: Record<BaseType, string> = {
    int: 'Int',
    smallint: 'Int',
    bigint: 'BigInt',
    text: 'String',
    string: 'String',
    char: 'String',
    uuid: 'String',
    boolean: 'Boolean',
    decimal: 'Decimal',
    float: 'Float',
    real: 'Float',
    date: 'DateTime',
    datetime: 'DateTime',
    timestamp: 'DateTime',
    timestamptz: 'DateTime',
    time: 'DateTime',
    timetz: 'DateTime',
    json: 'Json',
    jsonb: 'Json',
    bytea: 'Bytes',
    enum: 'an enum',
  };
  return scalars[t.base];
}

/** The largest value of an integer type (bigint: the largest JavaScript integer ecom generates). */
export function integerMax(t: ColumnType): number {
  return t.base === 'smallint' ? 32_767 : t.base === 'int' ? 2_147_483_647 : Number.MAX_SAFE_INTEGER;
}

export function isInteger(t: ColumnType): boolean {
  return !t.array && (t.base === 'int' || t.base === 'bigint' || t.base === 'smallint');
}

export function isNumeric(t: ColumnType): boolean {
  return isInteger(t) || (!t.array && (t.base === 'decimal' || t.base === 'float' || t.base === 'real'));
}

/** Dates, timestamps and times of day: what ranges, `after`/`before` and `now` work on. */
export function isTemporal(t: ColumnType): boolean {
  return !t.array && (t.base === 'date' || t.base === 'datetime' || t.base === 'timestamp' || t.base === 'timestamptz' || isTimeOfDay(t));
}

export function isTimeOfDay(t: ColumnType): boolean {
  return !t.array && (t.base === 'time' || t.base === 'timetz');
}

/** Text types: strings of any length, char(n), text. */
export function isText(t: ColumnType): boolean {
  return !t.array && (t.base === 'string' || t.base === 'char' || t.base === 'text');
}

/** json and jsonb: what PostgreSQL's json cannot compare, and values that are objects. */
export function isJson(t: ColumnType): boolean {
  return t.base === 'json' || t.base === 'jsonb';
}

export function describeType(t: ColumnType): string {
  const suffix = t.array ? '[]' : '';
  if (t.base === 'decimal') return `decimal(${t.precision},${t.scale})${suffix}`;
  if (t.base === 'string' && t.length !== undefined) return `varchar(${t.length})${suffix}`;
  if (t.base === 'char') return `char(${t.length})${suffix}`;
  if ('precision' in t) return `${t.base}(${t.precision})${suffix}`;
  return t.base + suffix;
}

/** The most characters a value of `t` holds (varchar(n), char(n)); undefined when unlimited. */
export function textLimit(t: ColumnType): number | undefined {
  return t.base === 'string' || t.base === 'char' ? t.length : undefined;
}
