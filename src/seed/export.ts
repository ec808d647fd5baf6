import type { Database } from '../db/connection.ts';
import { dumpDatabase, type DumpTable } from '../db/dump.ts';
import type { ResolvedModel } from '../model/resolve.ts';

export const MIGRATIONS_DIR = 'prisma/migrations';

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

export function exportDatabase(db: Database, tables: DumpTable[], file: string) {
  return dumpDatabase(db, tables, MIGRATIONS_DIR, file);
}
