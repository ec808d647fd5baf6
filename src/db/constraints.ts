import { escapeIdentifier } from 'pg';
import type { BulkLoad } from './bulk-load.ts';
import type { Row } from './database.ts';

const TABLES = 'ARRAY(SELECT to_regclass(quote_ident(n)) FROM unnest($1::text[]) AS n)';

/** What a bulk load puts off until the rows are in: statements that drop it, and that recreate it. */
export interface Deferred {
  drop: string[];
  recreate: string[];
}

/**
 * The foreign keys and plain (non-unique) indexes of `tables`, with the statements that drop them
 * and that recreate them from their exact catalog definitions, as pg_restore does: building an
 * index and checking a key once, after the rows, costs far less than maintaining them row by row,
 * and rows may then come in any order (foreign-key cycles, forward self-references). Primary keys
 * and unique indexes stay, so duplicates still fail during the load.
 */
export async function deferredConstraints(
  query: <T extends Row>(sql: string, params: unknown[]) => Promise<T[]>,
  tables: string[],
): Promise<Deferred> {
  const keys = await query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(${TABLES}) ORDER BY c.conname`,
    [tables],
  );
  const indexes = await query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i
     WHERE i.indrelid = ANY(${TABLES}) AND NOT i.indisprimary AND NOT i.indisunique
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
    [tables],
  );
  return {
    drop: [
      ...keys.map((k) => `ALTER TABLE ${k.tbl} DROP CONSTRAINT ${escapeIdentifier(k.name)}`),
      ...indexes.map((i) => `DROP INDEX ${i.name}`),
    ],
    recreate: [
      ...indexes.map((i) => i.def),
      ...keys.map((k) => `ALTER TABLE ${k.tbl} ADD CONSTRAINT ${escapeIdentifier(k.name)} ${k.def}`),
    ],
  };
}

/**
 * Drops the foreign keys and plain indexes of `tables` for a bulk load and returns the function
 * that recreates them. Inside the load transaction, a failure restores everything with the rollback.
 */
export async function suspendConstraints(tx: BulkLoad, tables: string[]): Promise<() => Promise<void>> {
  const { drop, recreate } = await deferredConstraints((sql, params) => tx.query(sql, params), tables);
  for (const sql of drop) await tx.exec(sql);
  return async () => {
    for (const sql of recreate) await tx.exec(sql);
  };
}
