import type { Column, Model, Table } from './schema.ts';
import { parseColumnType, type ColumnType } from './types.ts';

export interface ResolvedColumn {
  def: Column;
  name: string;
  table: string;
  index: number;
  type: ColumnType;
  nullable: boolean;
  unique: boolean;
  /** The referenced table and column, when this column is a foreign key. */
  ref?: { table: string; column: string };
}

/** The file destinations, each exported to its own folder of the --out folder. */
export const FILE_FORMATS = ['csv', 'json'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export interface ResolvedTable {
  def: Table;
  name: string;
  index: number;
  count: number;
  columns: ResolvedColumn[];
  primaryKey: ResolvedColumn[];
  foreignKeys: ResolvedColumn[];
  /** Where the rows land: the primary destination plus the PostgreSQL copy ecom derives. */
  inPostgres: boolean;
  file?: FileFormat;
  /** Why the table is in PostgreSQL although its destination is a file: the tables that need it. */
  postgresBecause: string[];
}

export interface ResolvedModel {
  def: Model;
  name: string;
  /** Tables in dependency order: every table after the tables its non-deferred foreign keys reference. */
  tables: ResolvedTable[];
  table(name: string): ResolvedTable;
  column(table: string, column: string): ResolvedColumn;
  /** Foreign keys that point forward in `tables` (cycles; see orderTables): loaded as NULL, then updated. */
  deferred: ResolvedColumn[];
  now: Date;
}

export const DEFAULT_NOW = '2026-01-01T00:00:00.000Z';

export function destinationsOf(t: ResolvedTable): string[] {
  return [...(t.inPostgres ? ['postgres'] : []), ...(t.file ? [t.file] : [])];
}

/**
 * Builds the resolved view of a model that has passed validation. `order` comes from the dependency
 * graph (see graph.ts); the PostgreSQL closure makes every table referenced from PostgreSQL exist there.
 */
export function resolveModel(def: Model, order: string[], deferredKeys: Set<string>): ResolvedModel {
  const byName = new Map<string, ResolvedTable>();
  def.tables.forEach((t, index) => {
    const columns = t.columns.map<ResolvedColumn>((c, ci) => ({
      def: c,
      name: c.name,
      table: t.name,
      index: ci,
      type: parseColumnType(c.type)!,
      nullable: c.nullable === true,
      unique: c.unique === true,
      ...(c.references ? { ref: { table: c.references.table, column: c.references.column } } : {}),
    }));
    const col = (n: string) => columns.find((c) => c.name === n)!;
    byName.set(t.name, {
      def: t,
      name: t.name,
      index,
      count: t.count,
      columns,
      primaryKey: t.primaryKey.map(col),
      foreignKeys: columns.filter((c) => c.ref),
      inPostgres: t.destination === 'postgres' || t.destination === 'api',
      ...(t.destination === 'csv' || t.destination === 'json' ? { file: t.destination } : {}),
      postgresBecause: [],
    });
  });

  // Fixed point: a table referenced by a PostgreSQL table must be in PostgreSQL too.
  let changed = true;
  while (changed) {
    changed = false;
    for (const t of byName.values()) {
      if (!t.inPostgres) continue;
      for (const fk of t.foreignKeys) {
        const parent = byName.get(fk.ref!.table)!;
        if (parent === t) continue;
        if (!parent.postgresBecause.includes(t.name) && !(parent.def.destination === 'postgres' || parent.def.destination === 'api')) {
          parent.postgresBecause.push(t.name);
        }
        if (!parent.inPostgres) {
          parent.inPostgres = true;
          changed = true;
        }
      }
    }
  }

  const tables = order.map((n) => byName.get(n)!);
  const table = (name: string) => {
    const t = byName.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  };
  const column = (tn: string, cn: string) => {
    const c = table(tn).columns.find((x) => x.name === cn);
    if (!c) throw new Error(`unknown column ${tn}.${cn}`);
    return c;
  };
  return {
    def,
    name: def.name,
    tables,
    table,
    column,
    deferred: tables.flatMap((t) => t.foreignKeys.filter((c) => deferredKeys.has(`${t.name}.${c.name}`))),
    now: new Date(def.now ?? DEFAULT_NOW),
  };
}

/** A resolved model as plain data, for another thread: the validated definition, the table order and the deferred keys. */
export interface PortableModel {
  def: Model;
  order: string[];
  deferred: string[];
}

export function portableModel(model: ResolvedModel): PortableModel {
  return { def: model.def, order: model.tables.map((t) => t.name), deferred: model.deferred.map((c) => `${c.table}.${c.name}`) };
}

/** The same resolved model again, without validating a second time. */
export function resolvePortable(p: PortableModel): ResolvedModel {
  return resolveModel(p.def, p.order, new Set(p.deferred));
}
