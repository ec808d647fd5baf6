import type { Database } from '../../db/database.ts';
import type { Model } from '../schema.ts';
import { isNumeric, isTemporal, parseColumnType } from '../types.ts';

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;

/**
 * Refines inferred generators from the rows a table already has (never required: an empty table
 * keeps the rules' choices): number and timestamp ranges span the values found, and the labels of
 * an enum are weighted by how often each occurs. One aggregate query per column refined.
 */
export async function refineFromData(
  db: Pick<Database, 'query'>,
  schema: string,
  model: Model,
  rows: Record<string, number>,
  /** The database's own names of the model's tables and columns. */
  origin: Map<string, { table: string; columns: Map<string, string> }>,
): Promise<number> {
  let refined = 0;
  for (const t of model.tables) {
    if (!rows[t.name]) continue;
    for (const c of t.columns) {
      const g = c.generate;
      const type = parseColumnType(c.type);
      if (!g || !type || c.references) continue;
      const source = origin.get(t.name)!;
      const from = `${quote(schema)}.${quote(source.table)}`;
      const column = quote(source.columns.get(c.name)!);
      if (g.kind === 'range' && (isNumeric(type) || isTemporal(type)) && type.base !== 'time' && type.base !== 'timetz') {
        const [r] = await db.query<{ min: string | null; max: string | null }>(
          isNumeric(type)
            ? `select min(${column})::float8::text as min, max(${column})::float8::text as max from ${from}`
            : `select to_json(min(${column}))#>>'{}' as min, to_json(max(${column}))#>>'{}' as max from ${from}`,
        );
        if (r?.min == null || r.max == null || r.min === r.max) continue;
        const [min, max] = isNumeric(type) ? [Number(r.min), Number(r.max)] : [iso(r.min), iso(r.max)];
        c.generate = { kind: 'range', min, max, ...(g.skew ? { skew: g.skew } : {}) };
        refined++;
      } else if (g.kind === 'choice' && !g.weights && g.values.every((v) => typeof v === 'string')) {
        const counts = await db.query<{ v: string; n: number }>(`select ${column}::text as v, count(*)::int as n from ${from} group by 1`);
        const byValue = new Map(counts.map((x) => [x.v, x.n]));
        const weights = g.values.map((v) => byValue.get(String(v)) ?? 0);
        if (weights.some((w) => w > 0)) {
          c.generate = { ...g, weights };
          refined++;
        }
      }
    }
  }
  return refined;
}

/** A timestamp or date as the model's ranges take it (ISO 8601, UTC when the database gave no offset). */
function iso(text: string): string {
  return /[zZ]|[+-]\d\d:?\d\d$/.test(text) || /^\d{4}-\d\d-\d\d$/.test(text) ? text : `${text}Z`;
}
