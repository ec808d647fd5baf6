import { escapeIdentifier } from 'pg';
import type { ResolvedColumn, ResolvedTable } from '../../model/resolve.ts';
import type { BaseType, ColumnType } from '../../model/types.ts';
import { canonical, type CanonRow } from './canonical.ts';

/**
 * The SQL type verify compares and computes a column's values in, whichever destination they come
 * from: a PostgreSQL column is cast to it (a no-op for most), a file's canonical text is parsed into
 * it. One entry per base type: a new column type adds its line here (and its canonical text in
 * canonical.ts). Enums compare as text, since a file-only table has no enum type in the database;
 * char(n) as bpchar, whose comparisons ignore the padding (a cast to text would drop it on one side
 * only); json as jsonb, which has equality; a real as float4, so a file's 6 digits read as the
 * database's value; a timestamp without time zone as itself (read as UTC where it meets a
 * timestamptz: verify's session is in UTC).
 */
const SQL_TYPES: { [B in BaseType]: (t: Extract<ColumnType, { base: B }>) => string } = {
  int: () => 'integer',
  smallint: () => 'smallint',
  bigint: () => 'bigint',
  float: () => 'double precision',
  real: () => 'real',
  decimal: () => 'numeric',
  boolean: () => 'boolean',
  date: () => 'date',
  datetime: () => 'timestamptz',
  timestamptz: () => 'timestamptz',
  timestamp: () => 'timestamp',
  time: () => 'time',
  timetz: () => 'timetz',
  uuid: () => 'uuid',
  json: () => 'jsonb',
  jsonb: () => 'jsonb',
  bytea: () => 'bytea',
  string: () => 'text',
  char: () => 'bpchar',
  text: () => 'text',
  enum: () => 'text',
};

/** The SQL type of a value of `t` (an array type: its elements' type, as an array). */
export function sqlType(t: ColumnType): string {
  const scalar = (SQL_TYPES[t.base] as (t: ColumnType) => string)(t);
  return t.array ? `${scalar}[]` : scalar;
}

/**
 * A column's cell as a typed value. A file's array is canonical JSON text (a JSON array of its
 * elements' canonical texts): its elements are unpacked and each parsed as the element type. A time
 * with time zone is brought to UTC, as canonical.ts does, since timetz equality also compares zones.
 */
function typed(cell: string, t: ColumnType, textual: boolean): string {
  if (t.array && textual) return `ARRAY(SELECT jsonb_array_elements_text(${cell}::jsonb))::${sqlType(t)}`;
  if (t.base === 'timetz' && !t.array) return `((${cell})::timetz AT TIME ZONE 'UTC')`;
  return `(${cell})::${sqlType(t)}`;
}

/**
 * One destination of a table as verify's queries see it: the PostgreSQL table itself, or a
 * temporary table holding a file's rows as canonical text (see load.ts). Queries name it with an
 * alias and reach its columns only through `value` (typed, comparable across destinations) and
 * `text` (what a violation shows), so one query checks either.
 */
export class Relation {
  constructor(
    readonly table: ResolvedTable,
    /** "postgres", "csv" or "json". */
    readonly dest: string,
    /** The SQL name of the table holding the rows. */
    private readonly sqlName: string,
    /** True when the columns hold canonical text (a file's rows). */
    private readonly textual: boolean,
  ) {}

  /** `FROM` item: the relation under `alias`. */
  as(alias: string): string {
    return `${escapeIdentifier(this.sqlName)} AS ${alias}`;
  }

  column(name: string): ResolvedColumn {
    const c = this.table.columns.find((x) => x.name === name);
    if (!c) throw new Error(`no column ${this.table.name}.${name}`);
    return c;
  }

  /** The typed value of column `c` of the row `alias`. */
  value(alias: string, c: ResolvedColumn): string {
    return typed(`${alias}.${escapeIdentifier(c.name)}`, c.type, this.textual);
  }

  /** The value's text, made canonical by `rowOf` (to_json keeps numeric scale and writes ISO timestamps). */
  text(alias: string, c: ResolvedColumn): string {
    return this.textual ? `${alias}.${escapeIdentifier(c.name)}` : `to_json(${alias}.${escapeIdentifier(c.name)}) #>> '{}'`;
  }

  /** Select list of every column's text, named so that `rowOf` reads them back as a row. */
  row(alias: string, prefix = '_c'): string {
    return this.table.columns.map((c, i) => `${this.text(alias, c)} AS ${prefix}${i}`).join(', ');
  }

  /** The row selected by `row`, in canonical form. */
  rowOf(record: Record<string, unknown>, prefix = '_c'): CanonRow {
    return this.table.columns.map((c, i) => canonical(c, (record[`${prefix}${i}`] ?? null) as string | null));
  }

  /** `ORDER BY` list: the primary key. */
  orderByKey(alias: string): string {
    return this.table.primaryKey.map((c) => this.value(alias, c)).join(', ');
  }
}
