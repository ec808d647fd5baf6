import type { Database } from '../db/database.ts';
import type { ResolvedColumn, ResolvedTable } from '../model/resolve.ts';
import { canonical } from '../seed/verify/canonical.ts';
import {
  axisSql,
  axisValueOf,
  binningOf,
  binSql,
  distinctSql,
  hasHistogram,
  hasTopValues,
  orderSql,
  quote,
  TOP_VALUES,
} from './measures.ts';
import { histogramOf, nullRate, type ColumnFigures, type TableFigures } from './profile.ts';

/** The canonical text of a value, as to_json writes it (numeric scale kept, ISO timestamps). */
const asText = (expr: string) => `to_json(${expr}) #>> '{}'`;
const count = (v: unknown) => Number(v);

/**
 * A PostgreSQL table's profile, computed by the database: one scan for counts, distinct values and
 * extremes, then one grouped query per histogram, top-value list and foreign key. Nothing grows with
 * the table on this side but the (bounded) result rows.
 */
export async function profileTableSql(db: Database, t: ResolvedTable): Promise<TableFigures> {
  const table = quote(t.name);
  const aggregates = t.columns.flatMap((c, i) => {
    const col = quote(c.name);
    const key = orderSql(c);
    return [
      `count(${col}) AS n${i}`,
      `count(DISTINCT ${distinctSql(c)}) AS d${i}`,
      ...(key ? [`${asText(`min(${key})`)} AS lo${i}`, `${asText(`max(${key})`)} AS hi${i}`] : []),
    ];
  });
  const [totals] = await db.query(`SELECT count(*) AS "rows", ${aggregates.join(', ')} FROM ${table}`);
  const rows = count(totals!.rows);
  const columns: ColumnFigures[] = [];
  for (const [i, c] of t.columns.entries()) {
    const nonNull = count(totals![`n${i}`]);
    const figures: ColumnFigures = {
      rows,
      nulls: rows - nonNull,
      nullRate: nullRate(rows - nonNull, rows),
      distinct: count(totals![`d${i}`]),
      min: canonical(c, totals![`lo${i}`] ?? null),
      max: canonical(c, totals![`hi${i}`] ?? null),
    };
    if (nonNull > 0) {
      if (hasHistogram(c)) figures.histogram = await histogram(db, t, c, figures.min!, figures.max!);
      if (hasTopValues(c)) figures.top = await topValues(db, t, c, nonNull);
      if (c.ref) figures.perParent = await perParent(db, t, c);
    }
    columns.push(figures);
  }
  return { rows, columns };
}

async function histogram(db: Database, t: ResolvedTable, c: ResolvedColumn, min: string, max: string) {
  const axis = axisValueOf(c);
  const b = binningOf(c, axis(min), axis(max));
  const bin = binSql(b, axisSql(c));
  const found = await db.query(
    `SELECT ${bin.sql} AS bin, count(*) AS n FROM ${quote(t.name)} WHERE ${quote(c.name)} IS NOT NULL GROUP BY 1`,
    bin.params,
  );
  const counts = new Array<number>(b.edges.length + 1).fill(0);
  for (const r of found) counts[count(r.bin)] = count(r.n);
  return histogramOf(c, b, counts);
}

async function topValues(db: Database, t: ResolvedTable, c: ResolvedColumn, nonNull: number) {
  const col = quote(c.name);
  const found = await db.query(
    `SELECT ${asText(col)} AS v, count(*) AS n FROM ${quote(t.name)} WHERE ${col} IS NOT NULL GROUP BY ${col} ORDER BY n DESC, ${orderSql(c)} LIMIT ${TOP_VALUES}`,
  );
  const values = found.map((r) => ({ value: canonical(c, r.v)!, count: count(r.n) }));
  return { values, others: nonNull - values.reduce((a, v) => a + v.count, 0) };
}

async function perParent(db: Database, t: ResolvedTable, c: ResolvedColumn): Promise<[number, number][]> {
  const col = quote(c.name);
  const found = await db.query(
    `SELECT n AS children, count(*) AS parents FROM (SELECT count(*) AS n FROM ${quote(t.name)} WHERE ${col} IS NOT NULL GROUP BY ${col}) s GROUP BY n ORDER BY n`,
  );
  return found.map((r) => [count(r.children), count(r.parents)]);
}
