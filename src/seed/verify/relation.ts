import { escapeIdentifier } from 'pg';
import type { ResolvedColumn, ResolvedTable } from '../../model/resolve.ts';
import type { BaseType, ColumnType } from '../../model/types.ts';
import { canonical, type CanonRow } from './canonical.ts';

/**
 * The SQL type verify compares and computes a column's values in, whichever destination they come
 * from: a PostgreSQL column is cast to it (a no-op for most), a file's canonical text is parsed into
 * it. One entry per base type: a new column type adds its line here (and its canonical text in
 * canonical.ts). Enums compare as text, since a file-only table has no enum type in the database.
 */
const SQL_TYPES: { [B in BaseType]: (t: Extract<ColumnType, { base: B }>) => string } = {
  int: () => 'integer',
  bigint: () => 'bigint',
  float: () => 'double precision',
  decimal: () => 'numeric',
  boolean: () => 'boolean',
  date: () => 'date',
  datetime: () => 'timestamptz',
  uuid: () => 'uuid',
  json: () => 'jsonb',
  string: () => 'text',
  text: () => 'text',
  enum: () => 'text',
};

export function sqlType(t: ColumnType): string {
  return (SQL_TYPES[t.base] as (t: ColumnType) => string)(t);
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
    return `(${alias}.${escapeIdentifier(c.name)})::${sqlType(c.type)}`;
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
