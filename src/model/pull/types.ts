import { columnSchema, NATIVE_TYPES } from '../schema.ts';
import { parseColumnType } from '../types.ts';
import type { CatalogColumn } from './catalog.ts';

/** A column's type in the model, and what was lost on the way when the model cannot say it exactly. */
export interface MappedType {
  type: string;
  values?: string[];
  /** The PostgreSQL enum type, when the model can name it (columns sharing it share one type). */
  enumName?: string;
  native?: string;
  /** The nearest form the model has, described, when it has no exact one. */
  approximation?: string;
}

/**
 * Candidates per PostgreSQL type, the exact form first: the first one the model format accepts
 * (checked with the model's own zod schema, so a newer format is used as soon as it exists) wins.
 * `n` is the length or precision from the column's typmod, `s` the scale.
 */
type Candidate = Omit<MappedType, 'approximation'>;
const RULES: Record<string, (m: { n?: number; s?: number }) => Candidate[]> = {
  int4: () => [{ type: 'int' }],
  int8: () => [{ type: 'bigint' }],
  int2: () => [{ type: 'smallint' }, { type: 'int' }],
  varchar: ({ n }) => (n === undefined ? [{ type: 'text' }] : [{ type: `varchar(${n})` }]),
  bpchar: ({ n }) => [{ type: `char(${n ?? 1})` }, { type: `varchar(${n ?? 1})` }],
  text: () => [{ type: 'text' }],
  citext: () => [{ type: 'text', native: 'Citext' }, { type: 'text' }],
  bool: () => [{ type: 'boolean' }],
  numeric: ({ n, s }) => (n === undefined ? [{ type: 'decimal(65,30)' }] : [{ type: `decimal(${n},${s ?? 0})` }]),
  money: () => [{ type: 'decimal(19,2)', native: 'Money' }, { type: 'decimal(19,2)' }],
  float8: () => [{ type: 'float' }],
  float4: () => [{ type: 'real' }, { type: 'float' }],
  date: () => [{ type: 'date' }],
  timestamptz: ({ n }) => (n === 3 ? [{ type: 'datetime' }] : [{ type: `timestamptz(${n ?? 6})` }, { type: 'datetime' }]),
  timestamp: ({ n }) => [{ type: `timestamp(${n ?? 6})` }, { type: 'datetime' }],
  time: ({ n }) => [{ type: `time(${n ?? 6})` }, { type: 'text' }],
  timetz: ({ n }) => [{ type: `timetz(${n ?? 6})` }, { type: 'text' }],
  uuid: () => [{ type: 'uuid' }],
  json: () => [{ type: 'json' }],
  jsonb: () => [{ type: 'jsonb' }, { type: 'json' }],
  bytea: () => [{ type: 'bytea' }, { type: 'text' }],
  inet: () => [{ type: 'text', native: 'Inet' }, { type: 'text' }],
  cidr: () => [{ type: 'text', native: 'Cidr' }, { type: 'text' }],
  xml: () => [{ type: 'text', native: 'Xml' }, { type: 'text' }],
  oid: () => [{ type: 'int', native: 'Oid' }, { type: 'int' }],
  bit: ({ n }) => [{ type: 'text', native: `Bit(${n ?? 1})` }, { type: `varchar(${n ?? 1})` }],
  varbit: () => [{ type: 'text', native: 'VarBit' }, { type: 'text' }],
};

/** Length, or precision and scale, encoded in a column's typmod. */
function modifiers(typname: string, typmod: number): { n?: number; s?: number } {
  if (typmod < 0) return {};
  if (typname === 'numeric') return { n: ((typmod - 4) >> 16) & 0xffff, s: (typmod - 4) & 0xffff };
  if (typname === 'varchar' || typname === 'bpchar') return { n: typmod - 4 };
  return { n: typmod }; // timestamps, times, bits
}

/** Whether the model format takes this column type (its grammar is parseColumnType's; the rest is the column schema's). */
function accepted(c: Candidate): boolean {
  const type = parseColumnType(c.type);
  if (!type) return false;
  if (c.native) {
    const bases: readonly string[] | undefined = NATIVE_TYPES[c.native.replace(/\(.*/, '') as keyof typeof NATIVE_TYPES];
    if (!bases?.includes(type.base)) return false;
  }
  const column = { name: 'x', type: c.type, ...(c.values ? { values: c.values } : {}), ...(c.enumName ? { enum: c.enumName } : {}) };
  return columnSchema.safeParse(c.native ? { ...column, native: c.native } : column).success;
}

/** The model type of a catalog column: exact where the model can say it, otherwise the nearest form it takes and why. */
export function mapType(col: CatalogColumn, enums: Map<string, string[]>, ownEnum: string): MappedType {
  const candidates = candidatesOf(col, enums, ownEnum).map((c) => (col.array ? { ...c, type: `${c.type}[]` } : c));
  const pick = candidates.find(accepted);
  if (pick && pick === candidates[0]) return pick;
  const chosen = pick ?? (col.array ? { type: 'json' } : { type: 'text' });
  return { ...chosen, approximation: describe(chosen) };
}

/** `ownEnum`: the name ecom gives a column's own enum type (table_column), which needs no name in the model. */
function candidatesOf(col: CatalogColumn, enums: Map<string, string[]>, ownEnum: string): Candidate[] {
  if (col.isEnum) {
    const values = enums.get(col.typname) ?? [];
    const own: Candidate = { type: 'enum', values };
    return col.typname === ownEnum ? [own] : [{ ...own, enumName: col.typname }, own];
  }
  return RULES[col.typname]?.(modifiers(col.typname, col.typmod)) ?? [];
}

function describe(c: Candidate): string {
  if (c.type === 'enum') return `enum with the labels ${JSON.stringify(c.values)}`;
  return `"${c.type}"${c.native ? ` (native ${c.native})` : ''}`;
}
