import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codegen } from '../src/codegen/codegen.ts';
import type { Database } from '../src/db/database.ts';
import { listMigrations, migrate } from '../src/db/migrate.ts';
import { EcomError } from '../src/errors.ts';
import { loadModel } from '../src/model/load.ts';
import { backends } from './helpers/databases.ts';
import { scratchProject } from './helpers/project.ts';

const tablesOf = async (db: Database) =>
  (
    await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    )
  ).map((r) => r.table_name);
const columnsOf = async (db: Database, table: string) =>
  (
    await db.query<{ column_name: string }>(
      'SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
      [table],
    )
  ).map((r) => r.column_name);

describe.each(backends)('ecom migrate on $name', (backend) => {
  let env: Awaited<ReturnType<typeof backend.fresh>>;
  beforeAll(async () => {
    env = await backend.fresh();
  });
  afterAll(async () => {
    await env.db.close();
    await env.drop();
  });

  it('creates the e-commerce tables from empty and records the migration like prisma migrate deploy', async () => {
    const p = scratchProject('ecommerce_model.json');
    const result = await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    expect(result.created?.name).toMatch(/^\d{14}_init$/);
    expect(result.applied).toEqual([result.created!.name]);
    expect(await tablesOf(env.db)).toEqual(['_prisma_migrations', 'categories', 'order_items', 'orders', 'products', 'users']);
    const sql = readFileSync(join(p.migrationsDir, result.created!.name, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "orders"');
    expect(readFileSync(join(p.migrationsDir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
    const rows = await env.db.query<{
      migration_name: string;
      checksum: string;
      finished_at: unknown;
      applied_steps_count: number;
      rolled_back_at: unknown;
    }>('SELECT * FROM _prisma_migrations');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.migration_name).toBe(result.created!.name);
    expect(rows[0]!.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    expect(rows[0]!.finished_at).not.toBeNull();
    expect(rows[0]!.rolled_back_at).toBeNull();
    expect(rows[0]!.applied_steps_count).toBe(1);

    // idempotent: nothing to create, nothing to apply
    const again = await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    expect(again).toEqual({ applied: [] });
    expect(listMigrations(p.migrationsDir)).toHaveLength(1);
    await env.db.query('DROP TABLE order_items, orders, products, users, categories, _prisma_migrations CASCADE');
    await env.db.query('DROP TYPE IF EXISTS orders_status');
    p.cleanup();
  });

  it('runs a migration script whole, so a failing statement leaves the ones before it unapplied', async () => {
    const p = scratchProject('test/fixtures/blog_model.json');
    const manual = join(p.migrationsDir, '20200101000000_manual');
    mkdirSync(manual, { recursive: true });
    cpSync(p.schemaFile, join(manual, 'schema.prisma')); // nothing left to diff: only this migration runs
    writeFileSync(
      join(manual, 'migration.sql'),
      'CREATE TABLE "first" ("id" INTEGER);\nCREATE TABLE "second" ("id" INTEGER REFERENCES "missing");\n',
    );
    const failed = await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir }).catch((e) => e);
    expect(failed.message).toMatch(/migration 20200101000000_manual failed and was rolled back/);
    expect(failed.problems[0].message).toMatch(/relation "missing" does not exist/);
    expect(await tablesOf(env.db)).toEqual(['_prisma_migrations']);
    await env.db.query('DROP TABLE _prisma_migrations');
    p.cleanup();
  });

  it('evolves the schema (a column, then a table) keeping the data, and refuses destructive changes', async () => {
    const p = scratchProject('test/fixtures/blog_model.json');
    const file = join(p.root, 'blog_model.json');
    const regenerate = (mutate: (m: any) => void) => {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      mutate(json);
      writeFileSync(file, JSON.stringify(json, null, 2));
      codegen(loadModel(file), { root: p.root, modelFile: file, skipClient: true });
    };
    const opts = { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir };
    await migrate(env.db, opts);
    await env.db.query(
      "INSERT INTO authors (first_name, last_name, email, joined_at) VALUES ('Ada', 'Lovelace', 'ada@example.com', now())",
    );

    regenerate((m) => m.tables[0].columns.push({ name: 'bio', type: 'text', nullable: true }));
    const added = await migrate(env.db, { ...opts, name: 'add bio' });
    expect(added.created?.name).toMatch(/_add_bio$/);
    expect(await columnsOf(env.db, 'authors')).toContain('bio');
    expect(await env.db.query('SELECT first_name, bio FROM authors')).toEqual([{ first_name: 'Ada', bio: null }]);

    regenerate((m) =>
      m.tables.push({
        name: 'newsletters',
        count: 3,
        destination: 'postgres',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int', default: 'autoincrement' },
          { name: 'author_id', type: 'int', references: { table: 'authors', column: 'id' } },
        ],
      }),
    );
    const table = await migrate(env.db, opts);
    expect(table.applied).toEqual([table.created!.name]);
    expect(await tablesOf(env.db)).toContain('newsletters');
    expect(await env.db.query('SELECT count(*)::int AS n FROM authors')).toEqual([{ n: 1 }]);

    // dropping a column would lose data: refused, nothing written, nothing changed
    const before = listMigrations(p.migrationsDir);
    regenerate((m) => (m.tables[0].columns = m.tables[0].columns.filter((c: any) => c.name !== 'bio')));
    const refused = await migrate(env.db, opts).catch((e) => e);
    expect(refused).toBeInstanceOf(EcomError);
    expect(refused.message).toMatch(/would lose data/);
    expect(refused.problems[0].message).toMatch(/drop the column `bio` on the `authors` table/);
    expect(refused.problems[0].hint).toMatch(/--accept-data-loss/);
    expect(listMigrations(p.migrationsDir)).toEqual(before);
    expect(await columnsOf(env.db, 'authors')).toContain('bio');
    const accepted = await migrate(env.db, { ...opts, acceptDataLoss: true });
    expect(accepted.applied).toHaveLength(1);
    expect(await columnsOf(env.db, 'authors')).not.toContain('bio');

    // a migration that fails (required column on a non-empty table) leaves everything as it was
    const names = listMigrations(p.migrationsDir);
    regenerate((m) => m.tables[0].columns.push({ name: 'country', type: 'varchar(2)' }));
    const failed = await migrate(env.db, { ...opts, acceptDataLoss: true }).catch((e) => e);
    expect(failed).toBeInstanceOf(EcomError);
    expect(failed.message).toMatch(/failed and was rolled back/);
    expect(failed.problems[0].message).toMatch(/country/);
    expect(await columnsOf(env.db, 'authors')).not.toContain('country');
    expect(listMigrations(p.migrationsDir)).toEqual(names);
    expect(await env.db.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NULL')).toEqual([{ n: 0 }]);
    // fixed (with a default), it goes through
    regenerate((m) => (m.tables[0].columns.at(-1).default = 'GB'));
    const fixed = await migrate(env.db, opts);
    expect(fixed.applied).toHaveLength(1);
    expect(await env.db.query('SELECT country FROM authors')).toEqual([{ country: 'GB' }]);
    expect(readdirSync(p.migrationsDir).filter((d) => d !== 'migration_lock.toml')).toHaveLength(names.length + 1);
    p.cleanup();
  });
});
