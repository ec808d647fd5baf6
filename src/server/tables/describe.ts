import { fieldName, relationsOf } from '../../../generators/prisma-schema.ts';
import { modelName } from '../../../generators/naming.ts';
import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../../model/resolve.ts';
import { codecOf, type ColumnCodec } from './columns.ts';

/** A column as the API shows it: its JSON name (the column's), its Prisma field and its codec. */
export interface ApiColumn {
  name: string;
  field: string;
  nullable: boolean;
  codec: ColumnCodec;
}

/** A list filter: `column=v` (equality) or `min_column=v` / `max_column=v` (inclusive range). */
export interface Filter {
  parameter: string;
  column: ApiColumn;
  op: 'equals' | 'gte' | 'lte';
}

/**
 * Everything the generated API serves for one table, derived from the model alone: the REST paths,
 * the tRPC procedures, the zod schemas and the OpenAPI operations are all built from this (routes.ts).
 */
export interface TableApi {
  table: string;
  /** The Prisma client's delegate (`prisma.orderItem`). */
  delegate: string;
  /** PascalCase singular, for schema names in the OpenAPI document (`OrderItem`). */
  typeName: string;
  columns: ApiColumn[];
  key: ApiColumn[];
  filters: Filter[];
  /** Columns a list may be sorted on: the indexed ones (keys, unique columns, the first column of an index). */
  sortable: ApiColumn[];
  /** Foreign keys to tables in the database: their rows come with a by-key answer. */
  parents: { column: string; field: string; table: string; columns: ApiColumn[] }[];
  /** Tables in the database whose foreign keys point here: by-key answers count their rows. */
  children: { table: string; column: string; field: string }[];
}

/** Parameters every list takes; a filter never takes these names. */
const LIST_PARAMETERS = ['skip', 'limit', 'sort'] as const;

/** Tables served by the generated API: those whose destination is `api`. */
export const apiTables = (model: ResolvedModel): ResolvedTable[] => model.tables.filter((t) => t.def.destination === 'api');

export function describeTables(model: ResolvedModel): TableApi[] {
  const relations = relationsOf(model);
  return apiTables(model).map((table) => {
    const columns = new Map(table.columns.map((c) => [c.name, apiColumn(c)]));
    const col = (c: ResolvedColumn) => columns.get(c.name)!;
    return {
      table: table.name,
      delegate: delegateName(table.name),
      typeName: modelName(table.name),
      columns: [...columns.values()],
      key: table.primaryKey.map(col),
      filters: filtersOf(table, col),
      sortable: table.columns.filter((c) => isIndexed(table, c) && c.type.base !== 'json' && !c.type.array).map(col),
      parents: relations
        .filter((r) => r.child === table)
        .map((r) => ({ column: r.fk.name, field: r.field, table: r.parent.name, columns: r.parent.columns.map(apiColumn) })),
      children: relations.filter((r) => r.parent === table).map((r) => ({ table: r.child.name, column: r.fk.name, field: r.backField })),
    };
  });
}

/** The Prisma client's property for a table's model: `order_items` → `orderItem`. */
export const delegateName = (table: string) => modelName(table).replace(/^./, (c) => c.toLowerCase());

const apiColumn = (c: ResolvedColumn): ApiColumn => ({ name: c.name, field: fieldName(c.name), nullable: c.nullable, codec: codecOf(c) });

/**
 * Filters from column types: equality for enums, booleans and keys (primary, foreign, unique);
 * inclusive ranges for the other numbers and for dates; none for free text, JSON and arrays (their
 * codec reads no parameter).
 */
function filtersOf(table: ResolvedTable, col: (c: ResolvedColumn) => ApiColumn): Filter[] {
  const filters: Filter[] = [];
  for (const c of table.columns) {
    const isKey = table.primaryKey.includes(c) || c.ref !== undefined || c.unique;
    const base = c.type.base;
    if (base === 'json' || c.type.array) continue;
    if (isKey || base === 'enum' || base === 'boolean') filters.push({ parameter: c.name, column: col(c), op: 'equals' });
    else if (base === 'int' || base === 'bigint' || base === 'decimal' || base === 'float' || base === 'date' || base === 'datetime')
      filters.push({ parameter: `min_${c.name}`, column: col(c), op: 'gte' }, { parameter: `max_${c.name}`, column: col(c), op: 'lte' });
  }
  // a column named like a list parameter, or `min_x` beside a column `x`, would take another's name: such a filter is left out
  const taken = new Set<string>(LIST_PARAMETERS);
  return filters.filter((f) => !taken.has(f.parameter) && taken.add(f.parameter));
}

function isIndexed(table: ResolvedTable, c: ResolvedColumn): boolean {
  return (
    table.primaryKey.includes(c) || c.unique || c.ref !== undefined || (table.def.indexes ?? []).some((ix) => ix.columns[0] === c.name)
  );
}
