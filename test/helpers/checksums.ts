import type { Database } from '../../src/db/database.ts';
import type { ResolvedModel } from '../../src/model/resolve.ts';

/** An order-independent checksum of a table's content, computed by the database itself. */
export async function tableChecksum(db: Database, table: string): Promise<string> {
  const rows = await db.query<{ md5: string; n: number }>(
    `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5, count(*)::int AS n FROM "${table}" t`,
  );
  return `${rows[0]!.n}:${rows[0]!.md5}`;
}

/** The checksum of every PostgreSQL table of the model. */
export async function checksums(db: Database, model: ResolvedModel): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of model.tables.filter((t) => t.inPostgres)) out[t.name] = await tableChecksum(db, t.name);
  return out;
}
