import { escapeIdentifier } from 'pg';
import type { BulkLoad } from './bulk-load.ts';
import type { Row } from './database.ts';

const TABLES = 'ARRAY(SELECT to_regclass(quote_ident(n)) FROM unnest($1::text[]) AS n)';

/** What a bulk load puts off until the rows are in: statements that drop it, and that recreate it (indexes first, then keys). */
export interface Deferred {
  drop: string[];
  recreate: string[];
  foreignKeys: number;
  indexes: number;
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
    foreignKeys: keys.length,
    indexes: indexes.length,
  };
}

/** Where suspended definitions are kept until `restoreConstraints`: in the database, so another process (a sharded load's finish) can restore them. */
export const SUSPENDED = '_ecom_suspended';

/**
 * Drops the foreign keys and plain indexes of `tables` for a bulk load, and the NOT NULL of
 * `nullable` columns (keys that close a cycle: loaded as NULL, set after), recording the
 * statements that recreate them in the table `_ecom_suspended`. Suspending again adds to the
 * record (what was already dropped is no longer in the catalog; its statement stays recorded), so
 * a load that never finished still restores everything. Inside a transaction, a failure undoes
 * drops and record together.
 */
export async function suspendConstraints(
  tx: BulkLoad,
  tables: string[],
  nullable: { table: string; column: string }[] = [],
): Promise<{ foreignKeys: number; indexes: number }> {
  const deferred = await deferredConstraints((sql, params) => tx.query(sql, params), tables);
  const notNull = await tx.query<{ tbl: string; col: string }>(
    `SELECT a.attrelid::regclass::text AS tbl, a.attname AS col
     FROM unnest($1::text[], $2::text[]) AS n(tbl, col)
     JOIN pg_attribute a ON a.attrelid = to_regclass(quote_ident(n.tbl)) AND a.attname = n.col
     WHERE a.attnotnull ORDER BY 1, 2`,
    [nullable.map((n) => n.table), nullable.map((n) => n.column)],
  );
  await tx.exec(`CREATE TABLE IF NOT EXISTS ${SUSPENDED} (position serial PRIMARY KEY, kind text NOT NULL, statement text NOT NULL)`);
  // a record left by an unfinished load of an earlier version has a CHECK without 'not null': the same one for every version
  await tx.exec(
    `ALTER TABLE ${SUSPENDED} DROP CONSTRAINT IF EXISTS ${SUSPENDED}_kind_check, ADD CONSTRAINT ${SUSPENDED}_kind_check CHECK (kind IN ('index', 'foreign key', 'not null'))`,
  );
  const recreate = [
    ...deferred.recreate.map((statement, i) => ({ kind: i < deferred.indexes ? 'index' : 'foreign key', statement })),
    ...notNull.map((n) => ({ kind: 'not null', statement: `ALTER TABLE ${n.tbl} ALTER COLUMN ${escapeIdentifier(n.col)} SET NOT NULL` })),
  ];
  for (const r of recreate) await tx.query(`INSERT INTO ${SUSPENDED} (kind, statement) VALUES ($1, $2)`, [r.kind, r.statement]);
  for (const sql of deferred.drop) await tx.exec(sql);
  for (const n of notNull) await tx.exec(`ALTER TABLE ${n.tbl} ALTER COLUMN ${escapeIdentifier(n.col)} DROP NOT NULL`);
  return { foreignKeys: deferred.foreignKeys, indexes: deferred.indexes };
}

/** Recreates what `suspendConstraints` recorded — NOT NULLs and indexes first, then keys, each validated on the data — and forgets the record. */
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
