import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { loadModel } from '../src/model/load.ts';
import { DATA_SECTION, dumpDatabase, dumpTablesOf } from '../src/db/dump.ts';
import { migrate } from '../src/db/migrate.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { verify } from '../src/seed/verify.ts';
import { checksums } from './helpers/checksums.ts';
import { backends, createPgDatabase } from './helpers/databases.ts';
import { REPO, scratchModel, scratchProject } from './helpers/project.ts';

// models with nothing in PostgreSQL have no dump (export-db says so; see test/cli.test.ts)
const fixtures = readdirSync(join(REPO, 'test/fixtures'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => `test/fixtures/${f}`)
  .filter((f) => loadModel(join(REPO, f)).tables.some((t) => t.inPostgres));

/** Rows that reference later rows through a key that cannot be NULL: no order of COPY blocks restores them with the keys in place. */
const forwardReferences = {
  name: 'chain',
  tables: [
    {
      name: 'nodes',
      count: 40,
      destination: 'postgres',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', default: 'autoincrement' },
        { name: 'next_id', type: 'int', references: { table: 'nodes', column: 'id' } },
      ],
    },
  ],
};

type Project = ReturnType<typeof scratchProject>;

/**
 * Seeds the project on `backend`, dumps it, restores the dump with psql into an empty PostgreSQL
 * database, and checks the restored database: same tables, verify passes, and `migrate` has
 * nothing to create or apply (the migration history came along).
 */
async function roundTrip(p: Project, backend: (typeof backends)[number]) {
  const source = await backend.fresh();
  const target = await createPgDatabase();
  try {
    await migrate(source.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await seed(source.db, p.model, { seed: 5, counts: plannedCounts(p.model), out: p.out });
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

const postgres = backends.find((b) => b.name === 'postgres')!;
const pglite = backends.find((b) => b.name === 'pglite')!;

describe('export-db dumps restore into an empty PostgreSQL and migrate further', () => {
  it.each(['ecommerce_model.json', ...fixtures])('%s, dumped from PostgreSQL', async (file) => {
    await roundTrip(scratchProject(file), postgres);
  });

  it('every column type and generator shape of the format (rental store), dumped from PGlite', async () => {
    await roundTrip(scratchProject('test/fixtures/rental_store_model.json'), pglite);
  });

  it('a foreign-key cycle, dumped from PGlite', async () => {
    await roundTrip(scratchProject('test/fixtures/league_model.json'), pglite);
  });

  it('rows referencing later rows through a non-nullable self-reference', async () => {
    await roundTrip(scratchModel(forwardReferences), postgres);
  });
});
