import { escapeIdentifier } from 'pg';
import type { BulkLoad } from './bulk-load.ts';

const TABLES = 'ARRAY(SELECT to_regclass(quote_ident(n)) FROM unnest($1::text[]) AS n)';

/** Where suspended definitions are kept until `restoreConstraints`: in the database, so another process can restore them. */
export const SUSPENDED = '_ecom_suspended';

/**
 * Drops the foreign keys and plain (non-unique) indexes of `tables` for a bulk load, recording their
 * exact catalog definitions in the table `_ecom_suspended`, as pg_restore does: building an index and
 * checking a key once costs far less than maintaining them row by row. Primary keys and unique
 * indexes stay, so duplicates still fail during the load. Suspending again adds to the record
 * (what was already dropped is no longer in the catalog, its definition stays recorded). Inside a
 * transaction, a failure undoes drops and record together.
 */
export async function suspendConstraints(tx: BulkLoad, tables: string[]): Promise<{ foreignKeys: number; indexes: number }> {
  const keys = await tx.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(${TABLES}) ORDER BY c.conname`,
    [tables],
  );
  const indexes = await tx.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i
     WHERE i.indrelid = ANY(${TABLES}) AND NOT i.indisprimary AND NOT i.indisunique
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
    [tables],
  );
  await tx.exec(
    `CREATE TABLE IF NOT EXISTS ${SUSPENDED} (position serial PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('index', 'foreign key')), statement text NOT NULL)`,
  );
  const record = (kind: string, statement: string) =>
    tx.query(`INSERT INTO ${SUSPENDED} (kind, statement) VALUES ($1, $2)`, [kind, statement]);
  for (const k of keys) {
    await record('foreign key', `ALTER TABLE ${k.tbl} ADD CONSTRAINT ${escapeIdentifier(k.name)} ${k.def}`);
    await tx.exec(`ALTER TABLE ${k.tbl} DROP CONSTRAINT ${escapeIdentifier(k.name)}`);
  }
  for (const i of indexes) {
    await record('index', i.def);
    await tx.exec(`DROP INDEX ${i.name}`);
  }
  return { foreignKeys: keys.length, indexes: indexes.length };
}

/** Recreates what `suspendConstraints` recorded — indexes first, then keys, each validated on the data — and forgets the record. */
export async function restoreConstraints(tx: BulkLoad): Promise<{ foreignKeys: number; indexes: number }> {
  const [exists] = await tx.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [SUSPENDED]);
  if (!exists?.t) return { foreignKeys: 0, indexes: 0 };
  const rows = await tx.query<{ kind: string; statement: string }>(
    `SELECT kind, statement FROM ${SUSPENDED} ORDER BY kind = 'foreign key', position`,
  );
  for (const r of rows) await tx.exec(r.statement);
  await tx.exec(`DROP TABLE ${SUSPENDED}`);
  return { foreignKeys: rows.filter((r) => r.kind === 'foreign key').length, indexes: rows.filter((r) => r.kind === 'index').length };
}
