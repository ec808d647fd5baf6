import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { connect } from '../../src/db/connect.ts';
import { DATA_SECTION, dumpDatabase, dumpTablesOf } from '../../src/db/dump.ts';
import { migrate } from '../../src/db/migrate.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { checksums } from './checksums.ts';
import { type Backend, createPgDatabase } from './databases.ts';
import type { scratchProject } from './project.ts';

type Project = ReturnType<typeof scratchProject>;

/**
 * Migrates and seeds the project on `backend` (verifying it), dumps it, restores the dump with psql into an empty PostgreSQL
 * database, and checks the restored database: same tables, verify passes, and `migrate` has
 * nothing to create or apply (the migration history came along).
 */
export async function roundTrip(p: Project, backend: Backend, seedValue = 5) {
  const source = await backend.fresh();
  const target = await createPgDatabase();
  try {
    await migrate(source.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await seed(source.db, p.model, { seed: seedValue, counts: plannedCounts(p.model), out: p.out });
    expect((await verify(source.db, p.model, p.out)).violations).toEqual([]);
    const file = join(p.root, 'dump.sql');
    await dumpDatabase(source.db, dumpTablesOf(p.model), p.migrationsDir, file);
    expect(readFileSync(file, 'utf8')).toContain(DATA_SECTION);
    const restore = spawnSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-f', file], { encoding: 'utf8' });
    expect(restore.status, restore.stderr).toBe(0);
    const restored = await connect({ url: target.url });
    try {
      expect(await checksums(restored, p.model)).toEqual(await checksums(source.db, p.model));
      expect((await verify(restored, p.model, p.out)).violations).toEqual([]);
      expect(await migrate(restored, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir })).toEqual({ applied: [] });
    } finally {
      await restored.close();
    }
  } finally {
    await source.db.close();
    await source.drop();
    await target.drop();
  }
}
