import { escapeLiteral } from 'pg';
import { EcomError } from '../../errors.ts';
import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../../model/resolve.ts';
import type { Column, Model, Table } from '../../model/schema.ts';
import type { Value } from '../engine.ts';
import { permutation } from '../random.ts';
import type { CanonRow } from '../verify/canonical.ts';
import { sqlType, type Relation } from '../verify/relation.ts';
import type { CheckContext, GeneratorOf, RowSource, VerifyContext } from './kind.ts';

/**
 * Rows drawn from another table, one per row: a review draws an order item, and takes its user
 * (order_id.user_id), its product (product_id) and its date (order_id.created_at) from it. The
 * "from" of `ref` states the draw, `after` can date a row after the drawn row's timestamps. The
 * columns of a table drawing from the same table share the drawn row.
 */

export type Where = NonNullable<NonNullable<GeneratorOf<'ref'>['from']>['where']>;

/** "order_id.user_id" → foreign keys to follow ["order_id"] and the column read at the end, "user_id". */
export function splitPath(path: string): { steps: string[]; last: string } {
  const names = path.split('.');
  return { steps: names.slice(0, -1), last: names.at(-1)! };
}

/** The `from` of the table's `ref` columns that draw from `from` (check makes them agree). */
export function drawWhere(table: ResolvedTable, from: string): Where | undefined {
  for (const c of table.columns) {
    const g = c.def.generate;
    if (g?.kind === 'ref' && g.from?.table === from) return g.from.where;
  }
  return undefined;
}

/** Follows foreign keys `steps` from a row of table `from`: the table reached, and the row reached from a row (null past a NULL key). */
export function compileWalk(
  model: ResolvedModel,
  table: (name: string) => RowSource,
  from: string,
  steps: string[],
): { table: string; walk(row: number | null): number | null } {
  const hops: { rows: RowSource; fk: string }[] = [];
  let at = from;
  for (const fk of steps) {
    hops.push({ rows: table(at), fk });
    at = model.column(at, fk).ref!.table;
  }
  return {
    table: at,
    walk(row) {
      for (const h of hops) if (row !== null) row = h.rows.group(h.fk, row).parent;
      return row;
    },
  };
}

/** The value at the end of `path`, from a row of table `from`. */
export function compilePath(model: ResolvedModel, table: (name: string) => RowSource, from: string, path: string): (row: number) => Value {
  const { steps, last } = splitPath(path);
  const end = compileWalk(model, table, from, steps);
  const rows = table(end.table);
  return (row) => {
    const r = end.walk(row);
    return r === null ? null : rows.value(r, last);
  };
}

/**
 * Which row of `from` each row gets: the rows matching `where`, in an order shuffled by `key`,
 * each once before any is drawn again. Without `where` that takes no memory; with it, the
 * matching row numbers (8 bytes each, like the partition offsets of a foreign key).
 */
export function compileDraw(
  model: ResolvedModel,
  table: (name: string) => RowSource,
  owner: string,
  from: string,
  where: Where | undefined,
  key: number,
): (row: number) => number {
  const source = table(from);
  let eligible: Float64Array | undefined;
  if (where) {
    const tests = Object.entries(where).map(([path, values]) => {
      const allowed = new Set(values.map(String));
      const value = compilePath(model, table, from, path);
      return (s: number) => {
        const v = value(s);
        return v !== null && allowed.has(String(v));
      };
    });
    const rows: number[] = [];
    for (let s = 0; s < source.count; s++) if (tests.every((t) => t(s))) rows.push(s);
    eligible = Float64Array.from(rows);
  }
  const n = eligible ? eligible.length : source.count;
  if (n === 0)
    throw new EcomError(`"${owner}" draws rows from "${from}", but no row of "${from}" matches ${describeWhere(where)}`, [
      {
        pointer: owner,
        message: 'no row to draw',
        hint: `widen the "where" of the "from" of ${owner}'s foreign keys, or give "${from}" more rows`,
      },
    ]);
  // one shuffled order per pass through the rows; the rows of a row ask one after another
  const first = permutation(n, key);
  let lastRow = -1;
  let last = 0;
  return (row) => {
    if (row === lastRow) return last;
    const round = Math.floor(row / n);
    const i = (round === 0 ? first : permutation(n, key ^ Math.imul(round, 0x9e3779b1)))(row % n);
    lastRow = row;
    return (last = eligible ? eligible[i]! : i);
  };
}

function describeWhere(where: Where | undefined): string {
  return where
    ? Object.entries(where)
        .map(([p, v]) => `${p} in [${v.join(', ')}]`)
        .join(' and ')
    : 'anything';
}

/** Checks `path` against the raw model from table `from`; reports at `pointer`. The column reached, or undefined. */
export function checkPath(
  model: Model,
  from: string,
  path: string,
  pointer: string,
  add: CheckContext['add'],
): { table: Table; column: Column; nullable: boolean } | undefined {
  const start = model.tables.find((t) => t.name === from);
  if (!start) return undefined;
  let table: Table = start;
  const { steps, last } = splitPath(path);
  let nullable = false;
  for (const fk of steps) {
    const c: Column | undefined = table.columns.find((x) => x.name === fk);
    if (!c?.references) {
      add(
        pointer,
        `"${fk}" in "${path}" is not a foreign key of table "${table.name}"`,
        `foreign keys of "${table.name}": ${table.columns
          .filter((x) => x.references)
          .map((x) => x.name)
          .join(', ')}`,
      );
      return undefined;
    }
    nullable ||= c.nullable === true;
    const next: Table | undefined = model.tables.find((t) => t.name === c.references!.table);
    if (!next) return undefined;
    table = next;
  }
  const column = table.columns.find((x) => x.name === last);
  if (!column) {
    add(pointer, `column "${last}" of "${path}" does not exist in table "${table.name}"`);
    return undefined;
  }
  return { table, column, nullable: nullable || column.nullable === true };
}

/**
 * For verify: SQL following `path` from the row `alias` of `from` (LEFT JOINs, so a NULL key gives a
 * NULL value), named with `prefix`; the typed value and the column at its end.
 */
export function pathSql(cx: VerifyContext, from: Relation, alias: string, path: string, prefix: string) {
  const { steps, last } = splitPath(path);
  let rel = from;
  let at = alias;
  const joins = steps.map((fk, i) => {
    const j = cx.join(rel, at, fk, `${prefix}_${i}`);
    rel = j.rel;
    at = `${prefix}_${i}`;
    return `LEFT JOIN ${j.sql}`;
  });
  const column = rel.column(last);
  return { joins: joins.join(' '), value: rel.value(at, column), column };
}

/** For verify: the values a `where` allows for `column`, as an SQL list of typed literals. */
export function valuesSql(column: ResolvedColumn, values: Where[string]): string {
  return values.map((v) => `${escapeLiteral(String(v))}::${sqlType(column.type)}`).join(', ');
}

/**
 * For verify: the rows of `from` that rows of `table` may have drawn, as SQL: one row per row of
 * `from` matching the draw's `where`, with the values (`k0`, `k1`…) its paths give the table's
 * `ref` columns drawing from it (a drawn row must give each column its value), and `v`, the value
 * of `valuePath` when given.
 */
export function candidatesSql(cx: VerifyContext, from: string, valuePath?: string) {
  const keys = cx.table.columns.flatMap((c) => {
    const g = c.def.generate;
    return g?.kind === 'ref' && g.from?.table === from ? [{ column: c, path: g.from.path }] : [];
  });
  const rel = cx.relOf(from);
  const where = drawWhere(cx.table, from);
  const joins: string[] = [];
  const path = (p: string, i: number) => {
    const walk = pathSql(cx, rel, 's', p, `w${i}`);
    joins.push(walk.joins);
    return walk;
  };
  const select = keys.map((k, i) => `${path(k.path, i).value} AS k${i}`);
  const value = valuePath === undefined ? undefined : path(valuePath, keys.length);
  if (value) select.push(`${value.value} AS v`);
  const tests = Object.entries(where ?? {}).map(([p, values], i) => {
    const walk = path(p, keys.length + 1 + i);
    return `${walk.value} IN (${valuesSql(walk.column, values)})`;
  });
  return {
    keys,
    sql: `SELECT ${select.join(', ')} FROM ${rel.as('s')} ${joins.join(' ')}${tests.length > 0 ? ` WHERE ${tests.join(' AND ')}` : ''}`,
    /** The join condition of candidates `c` on the row `r` of the table checked. */
    on: keys.map((k, i) => `c.k${i} = ${cx.rel.value('r', k.column)}`).join(' AND '),
    /** The end column of `valuePath`. */
    valueColumn: value?.column,
    describe: (r: CanonRow) =>
      `no row of ${from}${where ? ` with ${describeWhere(where)}` : ''} has ${keys.map((x) => `${x.path} = ${r[x.column.index]}`).join(', ')}`,
  };
}
