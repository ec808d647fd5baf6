import { escapeIdentifier } from 'pg';
import type { Database } from '../../db/database.ts';
import type { ResolvedTable } from '../../model/resolve.ts';
import { canonical, type CanonRow } from './canonical.ts';

/** A table's rows in PostgreSQL, in primary-key order. */
export async function readDatabase(db: Database, t: ResolvedTable): Promise<CanonRow[]> {
  // to_json keeps numeric scale and gives ISO timestamps, unlike the drivers' own conversions
  const cols = t.columns.map((c) => `to_json(${escapeIdentifier(c.name)}) #>> '{}' AS ${escapeIdentifier(c.name)}`).join(', ');
  const rows = await db.query(
    `SELECT ${cols} FROM ${escapeIdentifier(t.name)} ORDER BY ${t.primaryKey.map((c) => escapeIdentifier(c.name)).join(', ')}`,
  );
  return rows.map((r) => t.columns.map((c) => canonical(c, r[c.name])));
}
