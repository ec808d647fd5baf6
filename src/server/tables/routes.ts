import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { TABLES_PATH } from '../mounts.ts';
import type { MicroCache } from '../micro-cache.ts';
import { count, pageParameters, parameterObject, queryParameters } from '../parameters.ts';
import { ProblemError } from '../problem.ts';
import { defineRoute, type Route } from '../routes/route.ts';
import { sortSpec } from '../sort.ts';
import type { ApiColumn, TableApi } from './describe.ts';

/** The part of a Prisma delegate the generated routes use; every model's client has it. */
interface Delegate {
  findMany(args: object): Promise<Record<string, unknown>[]>;
  findUnique(args: object): Promise<Record<string, unknown> | null>;
  count(args: object): Promise<number>;
}

const rowSchema = (columns: ApiColumn[]) =>
  z.object(Object.fromEntries(columns.map((c) => [c.name, c.nullable ? c.codec.output.nullable() : c.codec.output])));

/** Prisma's row (fields) as the API's (column names, JSON values); a plain loop: it runs for every row of every page. */
function toRow(columns: ApiColumn[], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const value = row[c.field];
    out[c.name] = value === null ? null : c.codec.toJson(value);
  }
  return out;
}

const snake = (field: string) => field.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

/** Cache keys of filters: BigInts have no JSON form of their own. */
const keyOf = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** The list and by-key routes of one table; their REST paths, tRPC procedures and OpenAPI operations come from these. */
export function tableRoutes(api: TableApi, cache: MicroCache): Route[] {
  const base = `${TABLES_PATH}/${api.table}`;
  const procedure = `tables.${api.table}`;
  const delegate = (prisma: unknown) => (prisma as Record<string, Delegate>)[api.delegate]!;
  const keyNames = api.key.map((c) => c.name).join(', ');
  const sort = sortSpec(Object.fromEntries(api.sortable.map((c) => [c.name, c.field])), {
    byDefault: api.key.map((c) => c.name).join(','),
    tieBreak: api.key.map((c) => c.name),
  });
  const row = rowSchema(api.columns);

  const listInput = queryParameters({
    ...pageParameters,
    ...Object.fromEntries(
      api.filters.map((f) => [
        f.parameter,
        f.column.codec.parameter!(f.parameter)
          .optional()
          .describe(
            f.op === 'equals'
              ? `rows whose ${f.column.name} equals this`
              : `inclusive ${f.op === 'gte' ? 'lower' : 'upper'} bound on ${f.column.name}`,
          ),
      ]),
    ),
    sort: sort.parameter,
  });
  const list = defineRoute({
    method: 'GET',
    path: base,
    operationId: `${procedure}.list`,
    procedure: `${procedure}.list`,
    summary: `Rows of ${api.table}, paginated, filtered and sorted`,
    input: listInput,
    output: {
      name: `Table${api.typeName}Page`,
      description: `A page of ${api.table}`,
      schema: z.object({
        items: z.array(row),
        total: count.describe(`rows matching the filters (also in X-Total-Count)`),
        skip: count,
        limit: z.int().min(1).max(LIMITS.maxPageSize),
        sort: z.string(),
      }),
    },
    paginated: true,
    async handle({ prisma }, input) {
      const values = input as Record<string, unknown>;
      const where: Record<string, Record<string, unknown>> = {};
      for (const f of api.filters) {
        const value = values[f.parameter];
        if (value !== undefined) where[f.column.field] = { ...where[f.column.field], [f.op]: f.column.codec.toPrisma(value) };
      }
      const table = delegate(prisma);
      const [total, rows] = await Promise.all([
        cache.get(`${api.table}:count:${keyOf(where)}`, () => table.count({ where })),
        table.findMany({ where, orderBy: sort.orderBy(input.sort), skip: input.skip, take: input.limit }),
      ]);
      return { items: rows.map((r) => toRow(api.columns, r)), total, skip: input.skip, limit: input.limit, sort: input.sort };
    },
  });

  const parents = api.parents.map((p) => ({ ...p, name: snake(p.field) }));
  const children = api.children.map((c) => ({
    ...c,
    name: api.children.filter((o) => o.table === c.table).length > 1 ? `${c.table}_by_${c.column}` : c.table,
  }));
  /** Prisma's name for a composite primary key in `where` (`@@id([orderId, productId])` → `orderId_productId`). */
  const compoundKey = api.key.map((c) => c.field).join('_');
  const include = {
    ...Object.fromEntries(parents.map((p) => [p.field, true])),
    ...(children.length > 0 ? { _count: { select: Object.fromEntries(children.map((c) => [c.field, true])) } } : {}),
  };
  const get = defineRoute({
    method: 'GET',
    path: `${base}/${api.key.map((c) => `{${c.name}}`).join('/')}`,
    operationId: `${procedure}.get`,
    procedure: `${procedure}.get`,
    summary: `One row of ${api.table} by ${keyNames}, with the rows it references and counts of the rows referencing it`,
    input: parameterObject(Object.fromEntries(api.key.map((c) => [c.name, c.codec.parameter!(c.name).describe(`the row's ${c.name}`)]))),
    output: {
      name: `Table${api.typeName}Detail`,
      description: `The row`,
      schema: row.extend({
        parents: z
          .object(Object.fromEntries(parents.map((p) => [p.name, rowSchema(p.columns).nullable()])))
          .describe(
            `the rows this one references, by relation (${parents.map((p) => `${p.name}: ${p.table} by ${p.column}`).join('; ') || 'none'})`,
          ),
        child_counts: z
          .object(Object.fromEntries(children.map((c) => [c.name, count])))
          .describe(`how many rows reference this one (${children.map((c) => `${c.name}: ${c.table}.${c.column}`).join('; ') || 'none'})`),
      }),
    },
    problems: { 'not-found': `No ${api.table} row has this ${keyNames}` },
    async handle({ prisma }, input) {
      const values = input as Record<string, unknown>;
      const key = Object.fromEntries(api.key.map((c) => [c.field, c.codec.toPrisma(values[c.name])]));
      // findUnique: Prisma batches the findUnique calls of one tick that have the same shape into one query
      // (`WHERE id IN (…)`), e.g. the by-key calls of one tRPC batch
      const found = await delegate(prisma).findUnique({
        where: api.key.length === 1 ? key : { [compoundKey]: key },
        ...(Object.keys(include).length > 0 ? { include, relationLoadStrategy: 'join' } : {}),
      });
      if (!found) {
        const key = api.key.map((c) => `${c.name} ${String(values[c.name])}`).join(', ');
        throw new ProblemError('not-found', `${api.table} has no row with ${key}`);
      }
      const counts = (found._count ?? {}) as Record<string, number>;
      return {
        ...toRow(api.columns, found),
        parents: Object.fromEntries(
          parents.map((p) => [p.name, found[p.field] ? toRow(p.columns, found[p.field] as Record<string, unknown>) : null]),
        ),
        child_counts: Object.fromEntries(children.map((c) => [c.name, counts[c.field] ?? 0])),
      };
    },
  });
  return [list, get];
}
