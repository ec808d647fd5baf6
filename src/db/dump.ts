import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { escapeIdentifier } from 'pg';
import { EcomError } from '../errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { continueSequence } from './bulk-load.ts';
import { deferredConstraints } from './constraints.ts';
import type { Database } from './database.ts';
import { listMigrations, migrationsDirOf } from './migrate.ts';

export interface DumpTable {
  name: string;
  columns: string[];
  orderBy: string[];
  /** Columns whose sequence must continue after the data. */
  serial: string[];
}

/** The model's PostgreSQL tables in dependency order, as the dump needs them. */
export function dumpTablesOf(model: ResolvedModel): DumpTable[] {
  return model.tables
    .filter((t) => t.inPostgres)
    .map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => c.name),
      orderBy: t.primaryKey.map((c) => c.name),
      serial: t.columns.filter((c) => c.def.default === 'autoincrement').map((c) => c.name),
    }));
}

/** The project's database dump of a model: its schema from the model's migrations. */
export function exportDatabase(db: Database, model: ResolvedModel, file: string) {
  return dumpDatabase(db, dumpTablesOf(model), migrationsDirOf(model.name), file);
}

/**
 * Prisma's migration history, created as Prisma's schema engine creates it on PostgreSQL. A dump
 * carries its rows so that `ecom migrate` on the restored database applies only what is new.
 */
const MIGRATION_HISTORY = '_prisma_migrations';
const HISTORY_TABLE = `CREATE TABLE ${MIGRATION_HISTORY} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;
const HISTORY_COLUMNS = ['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count'];

/** Marks where the rows start: what comes after depends only on the model, the seed and the migrations' content. */
export const DATA_SECTION = '\n-- data\n';

/**
 * Writes a plain SQL dump that `psql -f` restores into an empty PostgreSQL database, in pg_dump's
 * order: the schema from the migrations (exactly what created it) and Prisma's migration history;
 * then the rows, each table a COPY block; then the foreign keys and plain indexes; then the
 * sequences. Foreign keys are dropped before the rows and recreated after them, from the source
 * database's catalog, because that is the one order every valid model restores in: rows may
 * reference rows that come later (a foreign-key cycle, a self-reference to a later row, a
 * non-nullable key). Loading a cycle's key as NULL and updating it after would need the model's
 * plan in the dump and fails for keys that cannot be NULL; `session_replication_role` needs a
 * superuser, and Prisma's foreign keys are not DEFERRABLE. Written to a temporary file and
 * renamed when complete.
 */
export async function dumpDatabase(
  db: Database,
  tables: DumpTable[],
  migrationsDir: string,
  file: string,
): Promise<{ bytes: number; rows: Record<string, number> }> {
  const migrations = listMigrations(migrationsDir);
  if (migrations.length === 0) throw new EcomError(`no migrations in ${migrationsDir}: run \`ecom migrate\` first`);
  const [history] = await db.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [MIGRATION_HISTORY]);
  if (!history?.found) throw new EcomError(`the database has no migration history (${MIGRATION_HISTORY}): run \`ecom migrate\` first`);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  const out = (s: string) => (bytes += writeSync(fd, s));
  const rows: Record<string, number> = {};
  try {
    const constraints = await deferredConstraints(
      (sql, params) => db.query(sql, params),
      tables.map((t) => t.name),
    );
    out('-- ecom database dump: schema from prisma/migrations, then data. Restore with: psql -v ON_ERROR_STOP=1 -f <this file>\n');
    out("SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\nBEGIN;\n\n");
    for (const m of migrations) out(`-- migration ${m}\n${readFileSync(join(migrationsDir, m, 'migration.sql'), 'utf8')}\n`);
    out(`\n-- Prisma's migration history: \`ecom migrate\` on the restored database applies only newer migrations\n${HISTORY_TABLE}\n`);
    await copyTable(db, MIGRATION_HISTORY, HISTORY_COLUMNS, ['started_at', 'migration_name', 'id'], out);
    out(DATA_SECTION);
    out('-- foreign keys and plain indexes follow the rows (see the end), so rows restore in any order\n');
    for (const sql of constraints.drop) out(`${sql};\n`);
    for (const t of tables) rows[t.name] = await copyTable(db, t.name, t.columns, t.orderBy, out);
    out('\n-- foreign keys and plain indexes, checked and built once over every row\n');
    for (const sql of constraints.recreate) out(`${sql};\n`);
    out('\n');
    for (const t of tables) for (const c of t.serial) out(`${continueSequence(t.name, c)};\n`);
    out('COMMIT;\n');
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  return { bytes, rows };
}

/** One table's rows as a COPY block; returns how many there were. */
async function copyTable(db: Database, table: string, columns: string[], orderBy: string[], out: (s: string) => void): Promise<number> {
  const cols = columns.map(escapeIdentifier).join(', ');
  out(`\nCOPY ${escapeIdentifier(table)} (${cols}) FROM stdin;\n`);
  const n = await copyRows(db, `SELECT ${cols} FROM ${escapeIdentifier(table)} ORDER BY ${orderBy.map(escapeIdentifier).join(', ')}`, out);
  out('\\.\n');
  return n;
}

/** Writes the COPY text rows of `select` to `out`; returns how many there were. */
async function copyRows(db: Database, select: string, out: (s: string) => void): Promise<number> {
  let lines = 0;
  for await (const s of db.copyOut(select)) {
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
    out(s);
  }
  return lines;
}
