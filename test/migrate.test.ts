import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codegen } from '../src/codegen/codegen.ts';
import type { Database } from '../src/db/database.ts';
import { listMigrations, migrate, migrationsDirOf } from '../src/db/migrate.ts';
import { EcomError } from '../src/errors.ts';
import { loadModel } from '../src/model/load.ts';
import { backends } from './helpers/databases.ts';
import { tempDir } from './helpers/cleanup.ts';
import { REPO, scratchProject } from './helpers/project.ts';

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
    expect(refused.problems[0].pointer).toBe('authors.bio');
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

  it('P3005: refuses a database that has the schema but no history, naming --baseline, which checks the schema first', async () => {
    // a database restored from a plain SQL dump without _prisma_migrations: the model's schema, no history
    const p = scratchProject('test/fixtures/blog_model.json');
    const opts = { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir };
    const { created } = await migrate(env.db, { ...opts, createOnly: true });
    const sql = readFileSync(join(created!.dir, 'migration.sql'), 'utf8');
    const target = await backend.fresh();
    try {
      await target.db.exec(sql);
      const refused = await migrate(target.db, opts).catch((e) => e);
      expect(refused).toBeInstanceOf(EcomError);
      expect(refused.message).toBe('the database already has tables but no migration history, so nothing was applied');
      expect(refused.problems[0]).toMatchObject({
        pointer: '_prisma_migrations',
        message: expect.stringMatching(/Prisma P3005.*restored from a plain SQL dump/),
        hint: expect.stringMatching(/run `ecom migrate --baseline`/),
      });
      expect(await tablesOf(target.db)).not.toContain('_prisma_migrations');

      // a schema that differs from the model's is not baselined: every difference named by table.column
      await target.db.exec(
        'ALTER TABLE authors DROP COLUMN joined_at; DROP INDEX posts_status_published_at_idx; ALTER TABLE posts ADD COLUMN extra int',
      );
      const drift = await migrate(target.db, { ...opts, baseline: true }).catch((e) => e);
      expect(drift).toBeInstanceOf(EcomError);
      expect(drift.message).toMatch(/the database's schema differs from the model's in 3 places, so it was not baselined/);
      expect(drift.problems.map((x: { pointer: string; message: string }) => `${x.pointer}: ${x.message}`).sort()).toEqual([
        'authors.joined_at: the model has this column; the database does not',
        'posts.(status, published_at): the model has index posts_status_published_at_idx; the database does not',
        'posts.extra: the database has this column; the model does not',
      ]);
      expect(await tablesOf(target.db)).not.toContain('_prisma_migrations');

      // once it matches, --baseline records the history as `prisma migrate resolve --applied` does
      await target.db.exec(
        'ALTER TABLE posts DROP COLUMN extra; ALTER TABLE authors ADD COLUMN joined_at TIMESTAMPTZ(3) NOT NULL; CREATE INDEX posts_status_published_at_idx ON posts(status, published_at)',
      );
      const baselined = await migrate(target.db, { ...opts, baseline: true });
      expect(baselined).toEqual({ applied: [], baselined: [created!.name] });
      const rows = await target.db.query<{ migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations',
      );
      expect(rows).toEqual([
        {
          migration_name: created!.name,
          checksum: createHash('sha256').update(sql).digest('hex'),
          finished_at: expect.anything(),
          rolled_back_at: null,
        },
      ]);
      expect(await migrate(target.db, opts)).toEqual({ applied: [] });
      expect(await migrate(target.db, { ...opts, baseline: true })).toEqual({ applied: [], baselined: [] });
    } finally {
      await target.db.close();
      await target.drop();
    }
    p.cleanup();
  });

  it('keeps a database migrated from the flat prisma/migrations of earlier versions up to date with prisma/migrations/ecommerce', async () => {
    const p = scratchProject('ecommerce_model.json');
    const history = join(REPO, 'prisma/migrations/ecommerce');
    cpSync(history, p.migrationsDir, { recursive: true }); // the layout before per-model folders
    const target = await backend.fresh();
    try {
      const old = await migrate(target.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      expect(old.applied).toEqual(['20261126190143_init', '20261126193410_add_orders_total_amount_index']);
      expect(await migrate(target.db, { schemaFile: join(REPO, 'prisma/schema.prisma'), migrationsDir: history })).toEqual({ applied: [] });
    } finally {
      await target.db.close();
      await target.drop();
    }
    p.cleanup();
  });

  it("refuses a database migrated from another model's history instead of mixing the two schemas", async () => {
    const blog = scratchProject('test/fixtures/blog_model.json');
    const shop = scratchProject('ecommerce_model.json');
    const target = await backend.fresh();
    try {
      const first = await migrate(target.db, { schemaFile: blog.schemaFile, migrationsDir: blog.migrationsDir });
      const before = await tablesOf(target.db);
      const refused = await migrate(target.db, { schemaFile: shop.schemaFile, migrationsDir: shop.migrationsDir }).catch((e) => e);
      expect(refused).toBeInstanceOf(EcomError);
      expect(refused.message).toMatch(/^the database was migrated with migrations that \S+ does not have, so it holds another schema$/);
      expect(refused.problems[0].message).toContain(first.created!.name);
      expect(refused.problems[0].hint).toMatch(/migrate an empty database instead/);
      expect(listMigrations(shop.migrationsDir)).toEqual([]); // nothing written
      expect(await tablesOf(target.db)).toEqual(before);
    } finally {
      await target.db.close();
      await target.drop();
    }
    blog.cleanup();
    shop.cleanup();
  });
});

describe('one migration history per model', () => {
  it('lives in prisma/migrations/<model name>/ and refuses the flat layout of earlier versions with the move to make', () => {
    const root = tempDir('ecom-layout-');
    expect(migrationsDirOf('blog', root)).toBe(join('prisma/migrations', 'blog'));
    mkdirSync(join(root, 'prisma/migrations/20260101000000_init'), { recursive: true });
    writeFileSync(join(root, 'prisma/migrations/20260101000000_init/migration.sql'), 'SELECT 1;\n');
    writeFileSync(
      join(root, 'prisma/migrations/20260101000000_init/schema.prisma'),
      '// Generated by `ecom codegen` from shop.json. Do not edit: change the model and run codegen again.\n',
    );
    let error: EcomError | undefined;
    try {
      migrationsDirOf('blog', root);
    } catch (e) {
      error = e as EcomError;
    }
    expect(error?.message).toBe('prisma/migrations holds migrations directly, as before each model had its own history');
    expect(error?.problems[0]?.message).toMatch(
      /1 migration folder \(20260101000000_init\) outside any model's folder; made from shop\.json/,
    );
    expect(error?.problems[0]?.hint).toMatch(
      /mkdir -p prisma\/migrations\/blog && mv prisma\/migrations\/\[0-9\]\*_\* prisma\/migrations\/migration_lock\.toml/,
    );
    expect(error?.problems[0]?.hint).toMatch(/databases already migrated keep working/);
  });
});
