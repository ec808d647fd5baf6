import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { parseModel } from '../src/model/load.ts';
import { finishShards, plannedCounts, prepareShards, seed } from '../src/seed/seed.ts';
import { parseCsv } from '../src/seed/verify/files.ts';
import { verify } from '../src/seed/verify.ts';
import { checksums } from './helpers/checksums.ts';
import { backends } from './helpers/databases.ts';
import { REPO, scratchModel, scratchProject } from './helpers/project.ts';

/**
 * What PostgreSQL accepts and Sakila has: a store's manager is one of its staff (NOT NULL, one to
 * one), every staff member works at a store (NOT NULL, smallint referencing an int key). Its dump,
 * report and pull are tested with every fixture (dump-restore, report, pull round-trip).
 */
const FIXTURE = 'test/fixtures/stores_staff_model.json';
const storesAndStaff = JSON.parse(readFileSync(join(REPO, FIXTURE), 'utf8')) as { tables: object[] };

/** The key columns' NOT NULL, from the catalog. */
async function notNull(db: Database): Promise<Record<string, boolean>> {
  const rows = await db.query<{ col: string; notnull: boolean }>(
    `SELECT attrelid::regclass::text || '.' || attname AS col, attnotnull AS notnull FROM pg_attribute
     WHERE attrelid IN ('stores'::regclass, 'staff'::regclass) AND attname IN ('manager_id', 'store_id') ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.col, r.notnull]));
}

const restored = { 'staff.store_id': true, 'stores.manager_id': true };

describe('a cycle of NOT NULL foreign keys (one of them one to one) and a smallint key referencing an int key', () => {
  it('defers the one-to-one key, whichever table is declared first', () => {
    const p = scratchProject(FIXTURE);
    expect(p.model.tables.map((t) => t.name)).toEqual(['stores', 'staff']);
    expect(p.model.deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['stores.manager_id']);
    const reversed = parseModel(JSON.stringify({ ...storesAndStaff, tables: storesAndStaff.tables.toReversed() }));
    expect(reversed.tables.map((t) => t.name)).toEqual(['stores', 'staff']);
    expect(reversed.deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['stores.manager_id']);
    expect(readFileSync(p.schemaFile, 'utf8')).toMatch(/storeId\s+Int\s+@map\("store_id"\) @db\.SmallInt/);
  });

  it.each(backends)('seeds $name: verified, NOT NULL restored, the CSV copy equal to the table', async (backend) => {
    const p = scratchProject(FIXTURE);
    const env = await backend.fresh();
    try {
      await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await seed(env.db, p.model, { seed: 7, counts: plannedCounts(p.model), out: p.out });
      expect((await verify(env.db, p.model, p.out)).violations).toEqual([]);
      expect(await notNull(env.db)).toEqual(restored);
      const rows = await env.db.query<{ id: number; manager_id: number }>('SELECT id, manager_id FROM stores ORDER BY id');
      const csv = parseCsv(readFileSync(join(p.out, 'csv/stores.csv'), 'utf8')).slice(1);
      expect(csv).toEqual(rows.map((r) => [String(r.id), String(r.manager_id)]));
      expect(new Set(rows.map((r) => r.manager_id)).size).toBe(rows.length);
      await expect(env.db.query('UPDATE stores SET manager_id = NULL WHERE id = 1')).rejects.toThrow(/not-null/);
    } finally {
      await env.db.close();
      await env.drop();
    }
  });

  it('draws a deferred NOT NULL key with the generators a nullable one takes (ref where)', async () => {
    const m = structuredClone(storesAndStaff) as { tables: { columns: object[] }[] };
    const [stores, staff] = m.tables as [{ columns: object[] }, { columns: object[] }];
    staff.columns.push({ name: 'role', type: 'enum', values: ['manager', 'clerk'] });
    const deputy = { name: 'deputy_id', type: 'int', references: { table: 'staff', column: 'id' } };
    stores.columns.push({ ...deputy, generate: { kind: 'ref', where: { role: ['manager'] } } });
    const p = scratchModel(m);
    expect(p.model.deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['stores.manager_id', 'stores.deputy_id']);
    const env = await backends.find((b) => b.name === 'postgres')!.fresh();
    try {
      await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await seed(env.db, p.model, { seed: 7, counts: plannedCounts(p.model), out: p.out });
      expect((await verify(env.db, p.model, p.out)).violations).toEqual([]);
      const roles = await env.db.query<{ role: string }>(
        'SELECT DISTINCT s.role::text AS role FROM stores JOIN staff s ON s.id = stores.deputy_id',
      );
      expect(roles).toEqual([{ role: 'manager' }]);
    } finally {
      await env.db.close();
      await env.drop();
    }
  });

  it('seeds in shards like the unsharded seed; a sharded load left unfinished still gets its NOT NULL back', async () => {
    const pg = backends.find((b) => b.name === 'postgres')!;
    const p = scratchProject(FIXTURE);
    const [whole, sharded] = [await pg.fresh(), await pg.fresh()];
    try {
      for (const env of [whole, sharded]) await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      const counts = plannedCounts(p.model, 3);
      await seed(whole.db, p.model, { seed: 7, counts, out: p.out });
      const out = join(p.root, 'sharded');
      await prepareShards(sharded.db, p.model, { seed: 7, counts, shards: 2 });
      expect(await notNull(sharded.db)).toEqual({ ...restored, 'stores.manager_id': false });
      for (const index of [2, 1]) await seed(sharded.db, p.model, { seed: 7, counts, out, shard: { index, count: 2 } });
      await finishShards(sharded.db, p.model, { shards: 2 });
      expect(await notNull(sharded.db)).toEqual(restored);
      expect(await checksums(sharded.db, p.model)).toEqual(await checksums(whole.db, p.model));
      expect((await verify(sharded.db, p.model, p.out)).violations).toEqual([]);

      // a record left by an unfinished load of the previous version, whose CHECK knew no 'not null'
      await sharded.db.exec(
        `CREATE TABLE _ecom_suspended (position serial PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('index', 'foreign key')), statement text NOT NULL)`,
      );
      // prepared twice, one shard loaded, never finished: an unsharded seed completes the load
      await prepareShards(sharded.db, p.model, { seed: 7, counts, shards: 2 });
      await prepareShards(sharded.db, p.model, { seed: 7, counts, shards: 2 });
      await seed(sharded.db, p.model, { seed: 7, counts, out, shard: { index: 1, count: 2 } });
      await seed(sharded.db, p.model, { seed: 7, counts, out: p.out });
      expect(await notNull(sharded.db)).toEqual(restored);
      expect(await checksums(sharded.db, p.model)).toEqual(await checksums(whole.db, p.model));
    } finally {
      for (const env of [whole, sharded]) {
        await env.db.close();
        await env.drop();
      }
    }
  });
});
