import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { escapeIdentifier } from 'pg';
import { EcomError } from '../errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { continueSequence } from './bulk-load.ts';
import type { Database } from './database.ts';
import { listMigrations, MIGRATIONS_DIR } from './migrate.ts';

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

/** The project's database dump: its schema from the project's migrations. */
export function exportDatabase(db: Database, tables: DumpTable[], file: string) {
  return dumpDatabase(db, tables, MIGRATIONS_DIR, file);
}

/**
 * Writes a plain SQL dump that `psql -f` restores into an empty PostgreSQL database: the schema
 * from the migrations (exactly what created it), then each table's rows as COPY blocks in
 * dependency order, then the sequences. Written to a temporary file and renamed when complete.
 */
export async function dumpDatabase(
  db: Database,
  tables: DumpTable[],
  migrationsDir: string,
  file: string,
): Promise<{ bytes: number; rows: Record<string, number> }> {
  const migrations = listMigrations(migrationsDir);
  if (migrations.length === 0) throw new EcomError(`no migrations in ${migrationsDir}: run \`ecom migrate\` first`);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  const out = (s: string) => (bytes += writeSync(fd, s));
  const rows: Record<string, number> = {};
  try {
    out('-- ecom database dump: schema from prisma/migrations, then data. Restore with: psql -v ON_ERROR_STOP=1 -f <this file>\n');
    out("SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\nBEGIN;\n\n");
    for (const m of migrations) out(`-- migration ${m}\n${readFileSync(join(migrationsDir, m, 'migration.sql'), 'utf8')}\n`);
    for (const t of tables) {
      const cols = t.columns.map(escapeIdentifier).join(', ');
      const select = `SELECT ${cols} FROM ${escapeIdentifier(t.name)} ORDER BY ${t.orderBy.map(escapeIdentifier).join(', ')}`;
      out(`\nCOPY ${escapeIdentifier(t.name)} (${cols}) FROM stdin;\n`);
      rows[t.name] = await copyRows(db, select, out);
      out('\\.\n');
    }
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

/** Writes the COPY text rows of `select` to `out`; returns how many there were. */
async function copyRows(db: Database, select: string, out: (s: string) => void): Promise<number> {
  let lines = 0;
  for await (const s of db.copyOut(select)) {
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
    out(s);
  }
  return lines;
}
