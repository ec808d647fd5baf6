import { escapeIdentifier } from 'pg';
import type { BulkLoad } from './bulk-load.ts';

const TABLES = 'ARRAY(SELECT to_regclass(quote_ident(n)) FROM unnest($1::text[]) AS n)';

/**
 * Drops the foreign keys and plain (non-unique) indexes of `tables` for a bulk load and returns
 * the function that recreates them, from their exact catalog definitions, as pg_restore does:
 * building an index and checking a key once costs far less than maintaining them row by row.
 * Primary keys and unique indexes stay, so duplicates still fail during the load. Inside the
 * load transaction, a failure restores everything with the rollback.
 */
export async function suspendConstraints(tx: BulkLoad, tables: string[]): Promise<() => Promise<void>> {
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
  for (const k of keys) await tx.exec(`ALTER TABLE ${k.tbl} DROP CONSTRAINT ${escapeIdentifier(k.name)}`);
  for (const i of indexes) await tx.exec(`DROP INDEX ${i.name}`);
  return async () => {
    for (const i of indexes) await tx.exec(i.def);
    for (const k of keys) await tx.exec(`ALTER TABLE ${k.tbl} ADD CONSTRAINT ${escapeIdentifier(k.name)} ${k.def}`);
  };
}
