import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../src/db/database.ts';
import type { ResolvedModel } from '../../src/model/resolve.ts';

export const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Hash of every export file, so "unchanged" and "byte-identical" are checked byte for byte. */
export function exportHashes(out: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const dir of ['csv', 'json']) {
    if (!existsSync(join(out, dir))) continue;
    for (const f of readdirSync(join(out, dir)).sort()) hashes[`${dir}/${f}`] = sha(join(out, dir, f));
  }
  return hashes;
}

/** An order-independent checksum of a table's content, computed by the database itself. */
export async function tableChecksum(db: Database, table: string): Promise<string> {
  const rows = await db.query<{ md5: string; n: number }>(
    `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5, count(*)::int AS n FROM "${table}" t`,
  );
  return `${rows[0]!.n}:${rows[0]!.md5}`;
}

export async function checksums(db: Database, model: ResolvedModel): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of model.tables.filter((t) => t.inPostgres)) out[t.name] = await tableChecksum(db, t.name);
  return out;
}

export const count = async (db: Database, sql: string, params: unknown[] = []) =>
  Number((await db.query<{ n: unknown }>(sql, params))[0]!.n);
