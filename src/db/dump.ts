import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { to as copyTo } from 'pg-copy-streams';
import { EcomError } from '../errors.ts';
import type { Database } from './connection.ts';
import { listMigrations } from './migrate.ts';
import { quoteIdent } from './sql.ts';

export interface DumpTable {
  name: string;
  columns: string[];
  orderBy: string[];
  /** Columns whose sequence must continue after the data. */
  serial: string[];
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
      const cols = t.columns.map(quoteIdent).join(', ');
      const select = `SELECT ${cols} FROM ${quoteIdent(t.name)} ORDER BY ${t.orderBy.map(quoteIdent).join(', ')}`;
      out(`\nCOPY ${quoteIdent(t.name)} (${cols}) FROM stdin;\n`);
      rows[t.name] = await copyOut(db, select, out);
      out('\\.\n');
    }
    out('\n');
    for (const t of tables) {
      for (const c of t.serial) {
        out(
          `SELECT setval(pg_get_serial_sequence('${quoteIdent(t.name)}', '${c}'), COALESCE((SELECT MAX(${quoteIdent(c)}) FROM ${quoteIdent(t.name)}), 0) + 1, false);\n`,
        );
      }
    }
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

/** Streams COPY text rows into `out` (PostgreSQL) or through one blob (PGlite); returns the row count. */
async function copyOut(db: Database, select: string, out: (s: string) => void): Promise<number> {
  const sql = `COPY (${select}) TO STDOUT`;
  let lines = 0;
  const emit = (s: string) => {
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
    out(s);
  };
  if (db.kind === 'pglite') {
    const res = await db.pglite.query(sql.replace('TO STDOUT', "TO '/dev/blob'"));
    if (res.blob) emit(await res.blob.text());
    return lines;
  }
  const client = await db.pool.connect();
  try {
    const decoder = new TextDecoder();
    for await (const chunk of client.query(copyTo(sql))) emit(decoder.decode(chunk as Buffer, { stream: true }));
    emit(decoder.decode());
    return lines;
  } finally {
    client.release();
  }
}
