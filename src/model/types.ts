import { TYPE_PATTERN } from './schema.ts';

/** A column type string of the model ("decimal(12,2)") in structured form. */
export type ColumnType =
  | { base: 'int' | 'bigint' | 'text' | 'boolean' | 'float' | 'date' | 'datetime' | 'uuid' | 'json' | 'enum' }
  | { base: 'string'; length?: number }
  | { base: 'decimal'; precision: number; scale: number };

export type BaseType = ColumnType['base'];

export function parseColumnType(text: string): ColumnType | undefined {
  const m = TYPE_PATTERN.exec(text.trim());
  if (!m) return undefined;
  if (m[2] !== undefined) return { base: 'string', length: Number(m[2]) };
  if (m[3] !== undefined) return { base: 'decimal', precision: Number(m[3]), scale: Number(m[4]) };
  const base = m[1] as Exclude<BaseType, 'decimal'>;
  return base === 'string' ? { base } : ({ base } as ColumnType);
}

/** Types a foreign key may have given the referenced column's type (varchar lengths need not match). */
export function sameKeyType(a: ColumnType, b: ColumnType): boolean {
  return a.base === b.base && (a.base !== 'decimal' || (b.base === 'decimal' && a.precision === b.precision && a.scale === b.scale));
}

export function isNumeric(t: ColumnType): boolean {
  return t.base === 'int' || t.base === 'bigint' || t.base === 'decimal' || t.base === 'float';
}

export function isTemporal(t: ColumnType): boolean {
  return t.base === 'date' || t.base === 'datetime';
}

export function describeType(t: ColumnType): string {
  if (t.base === 'decimal') return `decimal(${t.precision},${t.scale})`;
  if (t.base === 'string' && t.length !== undefined) return `varchar(${t.length})`;
  return t.base;
}
