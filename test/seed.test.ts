import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { dumpDatabase, dumpTablesOf } from '../src/db/dump.ts';
import { migrate } from '../src/db/migrate.ts';
import { EcomError } from '../src/errors.ts';
import { parseCsv } from '../src/seed/verify/files.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { verify } from '../src/seed/verify.ts';
import { checksums } from './helpers/checksums.ts';
import { backends, createPgDatabase, PG_ADMIN_URL } from './helpers/databases.ts';
import { count, exportHashes } from './helpers/digest.ts';
import { scratchProject } from './helpers/project.ts';

const crossBackend: Record<string, Record<string, string>> = {};

describe.each(backends)('seeding the e-commerce model on $name', (backend) => {
  let env: Awaited<ReturnType<typeof backend.fresh>>;
  let p: ReturnType<typeof scratchProject>;
  const run = (extra: Partial<Parameters<typeof seed>[2]> = {}) =>
    seed(env.db, p.model, { seed: 7, counts: plannedCounts(p.model), out: p.out, batchSize: 64, ...extra });

  beforeAll(async () => {
    env = await backend.fresh();
    p = scratchProject('ecommerce_model.json');
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
  });
  afterAll(async () => {
    await env.db.close();
    await env.drop();
    p.cleanup();
  });

  it('puts 25/150/300/200/500/200 rows in their destinations and verify passes', async () => {
    const { tables: summary } = await run();
    expect(summary.map((s) => [s.table, s.destinations.join('+'), s.rows])).toEqual([
      ['categories', 'postgres', 25],
      ['users', 'postgres+csv', 150],
      ['products', 'postgres+json', 300],
      ['orders', 'postgres', 200],
      ['order_items', 'postgres', 500],
      ['reviews', 'csv', 200],
    ]);
    for (const [t, n] of Object.entries({ categories: 25, users: 150, products: 300, orders: 200, order_items: 500 })) {
      expect(await count(env.db, `SELECT count(*) AS n FROM ${t}`)).toBe(n);
    }
    expect(parseCsv(readFileSync(join(p.out, 'csv/users.csv'), 'utf8'))).toHaveLength(151);
    expect(parseCsv(readFileSync(join(p.out, 'csv/reviews.csv'), 'utf8'))).toHaveLength(201);
    expect(JSON.parse(readFileSync(join(p.out, 'json/products.json'), 'utf8'))).toHaveLength(300);
    expect(await count(env.db, 'SELECT count(*) AS n FROM reviews').catch(() => -1)).toBe(-1); // file-only
    const report = await verify(env.db, p.model, p.out);
    expect(report.violations).toEqual([]);
    expect(report.checks).toBeGreaterThan(25);
  });

  it('is deterministic: the same seed gives byte-identical files and identical tables, re-seeding replaces', async () => {
    const files = exportHashes(p.out);
    const tables = await checksums(env.db, p.model);
    await run();
    expect(exportHashes(p.out)).toEqual(files);
    expect(await checksums(env.db, p.model)).toEqual(tables);
    crossBackend[backend.name] = { ...files, ...tables };
    await run({ seed: 8 });
    expect(exportHashes(p.out)['csv/users.csv']).not.toBe(files['csv/users.csv']);
    expect(await count(env.db, 'SELECT count(*) AS n FROM orders')).toBe(200);
    await run();
  });

  it('keeps every business rule on every row', async () => {
    const q = (sql: string) => count(env.db, sql);
    expect(
      await q(
        'SELECT count(*) AS n FROM orders o WHERE total_amount <> (SELECT coalesce(sum(quantity * unit_price), 0) FROM order_items i WHERE i.order_id = o.id)',
      ),
    ).toBe(0);
    expect(await q('SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)')).toBe(0);
    expect(await q('SELECT count(*) AS n FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.unit_price <> p.price')).toBe(0);
    expect(await q('SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE o.created_at <= u.created_at')).toBe(0);
    expect(await q("SELECT count(*) AS n FROM orders WHERE created_at > '2026-01-01T00:00:00Z'")).toBe(0);
    // categories: 5 roots, every other category is a child of a root, no cycles
    expect(await q('SELECT count(*) AS n FROM categories WHERE parent_id IS NULL')).toBe(5);
    expect(await q('SELECT count(*) AS n FROM categories c JOIN categories p ON p.id = c.parent_id WHERE p.parent_id IS NOT NULL')).toBe(0);
    // context-aware products: names and prices fit the category
    const laptops = await env.db.query<{ name: string; price: string }>(
      "SELECT p.name, p.price::text AS price FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Laptops'",
    );
    expect(laptops.length).toBeGreaterThan(0);
    for (const l of laptops) {
      expect(l.name).toMatch(/^(Lenovo|Dell|HP|Apple|ASUS|Acer|Microsoft|Framework) .+, \d+ GB RAM, \d+ (GB|TB) SSD$/);
      expect(Number(l.price)).toBeGreaterThanOrEqual(799);
      expect(Number(l.price)).toBeLessThanOrEqual(1999.99);
    }
    expect(
      await q(
        "SELECT count(*) AS n FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name IN ('Fiction', 'Books') AND p.name ~ 'Laptop|Headphones|Sofa'",
      ),
    ).toBe(0);
    // people: emails unique and derived from the name, phones valid NANP numbers
    const users = await env.db.query<{ email: string; first_name: string; phone: string | null }>(
      'SELECT email, first_name, phone FROM users',
    );
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
    for (const u of users) {
      expect(
        u.email.startsWith(
          u.first_name
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '')
            .toLowerCase()
            .replace(/[^a-z0-9]/g, ''),
        ),
      ).toBe(true);
      if (u.phone !== null) expect(u.phone).toMatch(/^\+1-[2-9]\d\d-[2-9]\d\d-\d{4}$/);
    }
    // a realistic status mix: every status, delivered the most common
    const statuses = await env.db.query<{ status: string; n: number }>(
      'SELECT status::text AS status, count(*)::int AS n FROM orders GROUP BY 1 ORDER BY n DESC',
    );
    expect(statuses).toHaveLength(5);
    expect(statuses[0]!.status).toBe('delivered');
    // reviews (file-only): ratings skewed high, written after both the product and the user existed
    const reviews = parseCsv(readFileSync(join(p.out, 'csv/reviews.csv'), 'utf8')).slice(1);
    const products = new Map(
      (JSON.parse(readFileSync(join(p.out, 'json/products.json'), 'utf8')) as { id: number; created_at: string }[]).map((x) => [
        x.id,
        x.created_at,
      ]),
    );
    const userCreated = new Map(
      parseCsv(readFileSync(join(p.out, 'csv/users.csv'), 'utf8'))
        .slice(1)
        .map((r) => [Number(r[0]), r[10]!]),
    );
    const ratings = reviews.map((r) => Number(r[3]));
    expect(ratings.filter((r) => r === 5).length).toBeGreaterThan(ratings.filter((r) => r === 1).length * 3);
    expect(ratings.reduce((a, b) => a + b, 0) / ratings.length).toBeGreaterThan(3.7);
    for (const r of reviews) {
      expect(Date.parse(r[6]!)).toBeGreaterThan(Date.parse(products.get(Number(r[1]))!));
      expect(Date.parse(r[6]!)).toBeGreaterThan(Date.parse(userCreated.get(Number(r[2]))!));
    }
  });

  it('a failure mid-load (a trigger raising after 300 rows) leaves database and exports unchanged', async () => {
    const files = exportHashes(p.out);
    const tables = await checksums(env.db, p.model);
    await env.db.query(
      `CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 300 THEN RAISE EXCEPTION 'injected failure at row %', NEW.id; END IF; RETURN NEW; END $$`,
    );
    await env.db.query('CREATE TRIGGER fail_late BEFORE INSERT ON order_items FOR EACH ROW EXECUTE FUNCTION fail_late()');
    try {
      const err = await run({ seed: 99 }).catch((e) => e);
      expect(err).toBeInstanceOf(EcomError);
      expect(err.message).toMatch(/rolled back; the database and .* are unchanged/);
      expect(err.problems[0].message).toMatch(/injected failure at row 300/);
    } finally {
      await env.db.query('DROP TRIGGER fail_late ON order_items');
      await env.db.query('DROP FUNCTION fail_late()');
    }
    expect(await checksums(env.db, p.model)).toEqual(tables);
    expect(exportHashes(p.out)).toEqual(files);
    expect(readdirSync(p.out).filter((f) => f.startsWith('.seeding'))).toEqual([]);
  });

  it('a seed killed earlier leaves a scratch folder that the next seed removes', async () => {
    const abandoned = join(p.out, '.seeding-999999999');
    mkdirSync(join(abandoned, 'csv'), { recursive: true });
    writeFileSync(join(abandoned, 'csv/users.csv'), 'half-written');
    await run();
    expect(existsSync(abandoned)).toBe(false);
  });

  it('an abort between batches (Ctrl-C) leaves database and exports unchanged', async () => {
    const files = exportHashes(p.out);
    const tables = await checksums(env.db, p.model);
    const controller = new AbortController();
    const err = await run({
      seed: 5,
      signal: controller.signal,
      progress: { start() {}, advance: (t, n) => void (t === 'products' && n > 100 && controller.abort()), end() {} },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(EcomError);
    expect(err.message).toMatch(/interrupted/);
    expect(await checksums(env.db, p.model)).toEqual(tables);
    expect(exportHashes(p.out)).toEqual(files);
  });

  it('verify catches a hand-corrupted CSV and a changed dual copy', async () => {
    const file = join(p.out, 'csv/reviews.csv');
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\r\n');
    lines[5] = lines[5]!.replace(/^(\d+),(\d+),/, '$1,99999,');
    writeFileSync(file, lines.join('\r\n'));
    const users = join(p.out, 'csv/users.csv');
    const originalUsers = readFileSync(users, 'utf8');
    writeFileSync(users, originalUsers.replace(/"([a-z]+)\.([a-z]+)1@/, '"changed.$21@'));
    try {
      const report = await verify(env.db, p.model, p.out);
      expect(report.violations).toContainEqual(
        expect.objectContaining({ check: 'foreign key', table: 'reviews', where: 'csv reviews.product_id=99999' }),
      );
      expect(report.violations).toContainEqual(
        expect.objectContaining({ check: 'destinations identical', table: 'users', where: 'csv users key 1' }),
      );
    } finally {
      writeFileSync(file, original);
      writeFileSync(users, originalUsers);
    }
    expect((await verify(env.db, p.model, p.out)).violations).toEqual([]);
  });

  it('export-db writes a dump that psql restores into an empty PostgreSQL with identical content', async () => {
    const file = join(p.root, 'dump.sql');
    await dumpDatabase(env.db, dumpTablesOf(p.model), p.migrationsDir, file);
    const target = await createPgDatabase();
    try {
      const restore = spawnSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-f', file], { encoding: 'utf8' });
      expect(restore.status, restore.stderr).toBe(0);
      const restored = await connect({ url: target.url });
      try {
        expect(await checksums(restored, p.model)).toEqual(await checksums(env.db, p.model));
        // sequences continue after the restored ids
        await restored.query("INSERT INTO categories (name) VALUES ('New category')");
        expect(await count(restored, "SELECT id AS n FROM categories WHERE name = 'New category'")).toBe(26);
      } finally {
        await restored.close();
      }
    } finally {
      await target.drop();
    }
  });
});

describe('determinism across databases', () => {
  it('PGlite and PostgreSQL receive identical tables and files for the same seed', () => {
    expect(Object.keys(crossBackend).sort()).toEqual(['pglite', 'postgres']);
    expect(crossBackend.pglite).toEqual(crossBackend.postgres);
  });
});

describe('PostgreSQL connection killed mid-load', () => {
  it('pg_terminate_backend during COPY leaves the database and exports unchanged', async () => {
    const scratch = await createPgDatabase();
    const p = scratchProject('ecommerce_model.json');
    const db = await connect({ url: scratch.url });
    try {
      await migrate(db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await seed(db, p.model, { seed: 1, counts: plannedCounts(p.model), out: p.out });
      const files = exportHashes(p.out);
      const tables = await checksums(db, p.model);
      const killer = await connect({ url: PG_ADMIN_URL });
      let killed = 0;
      const err = await seed(db, p.model, {
        seed: 2,
        counts: plannedCounts(p.model, 20),
        out: p.out,
        batchSize: 500,
        progress: {
          start() {},
          async advance(table) {
            if (table === 'order_items' && killed === 0) {
              killed = await count(
                killer,
                "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY%'",
                [new URL(scratch.url).pathname.slice(1)],
              );
            }
          },
          end() {},
        },
      }).catch((e) => e);
      await killer.close();
      expect(killed).toBe(1);
      expect(err).toBeInstanceOf(EcomError);
      expect(err.message).toMatch(/rolled back/);
      expect(await checksums(db, p.model)).toEqual(tables);
      expect(exportHashes(p.out)).toEqual(files);
    } finally {
      await db.close();
      await scratch.drop();
      p.cleanup();
    }
  });
});

describe.each(backends)('other models on $name', (backend) => {
  it.each(['test/fixtures/blog_model.json', 'test/fixtures/library_model.json'])(
    '%s seeds with integrity across destinations',
    async (file) => {
      const env = await backend.fresh();
      const p = scratchProject(file);
      try {
        await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
        const { tables: summary } = await seed(env.db, p.model, { seed: 11, counts: plannedCounts(p.model, 2), out: p.out, batchSize: 50 });
        expect(summary.map((s) => s.rows)).toEqual(p.model.tables.map((t) => t.count * 2));
        const report = await verify(env.db, p.model, p.out);
        expect(report.violations).toEqual([]);
        const before = exportHashes(p.out);
        await seed(env.db, p.model, { seed: 11, counts: plannedCounts(p.model, 2), out: p.out, batchSize: 7 });
        expect(exportHashes(p.out)).toEqual(before); // batch size does not change a single byte
      } finally {
        await env.db.close();
        await env.drop();
        p.cleanup();
      }
    },
  );
});

describe.each(backends)('a foreign-key cycle on $name', (backend) => {
  it('loads the nullable key that closes the cycle in a second pass', async () => {
    const env = await backend.fresh();
    const p = scratchProject('test/fixtures/league_model.json');
    try {
      expect(p.model.deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['teams.captain_id']);
      await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await seed(env.db, p.model, { seed: 3, counts: plannedCounts(p.model), out: p.out, batchSize: 4 });
      expect(await count(env.db, 'SELECT count(*) AS n FROM teams t JOIN players p ON p.id = t.captain_id')).toBe(10);
      expect((await verify(env.db, p.model, p.out)).violations).toEqual([]);
    } finally {
      await env.db.close();
      await env.drop();
      p.cleanup();
    }
  });
});

describe('seeder overrides', () => {
  it('the generated seeders run, and an override replaces a column deterministically', async () => {
    const p = scratchProject('test/fixtures/library_model.json');
    const env = await backends[0]!.fresh();
    try {
      await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      writeFileSync(
        join(p.root, 'prisma/seeders/overrides/members.ts'),
        "import type { Overrides } from '../../../src/seed/seeder.ts';\nexport default { first_name: (ctx) => `Zed${ctx.index}`, last_name: (ctx) => ctx.faker.helpers.arrayElement(['Ng', 'Ode']) } satisfies Overrides<any>;\n",
      );
      const seeders = join(p.root, 'prisma/seeders');
      const counts = plannedCounts(p.model);
      await seed(env.db, p.model, { seed: 1, counts, out: p.out, seeders });
      const rows = parseCsv(readFileSync(join(p.out, 'csv/members.csv'), 'utf8')).slice(1);
      expect(rows.map((r) => r[1])).toEqual(rows.map((_r, i) => `Zed${i}`));
      expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['Ng', 'Ode']));
      expect(rows[3]![3]).toMatch(/^zed3\.(ng|ode)4@/); // email is derived from the overridden names
      const first = exportHashes(p.out);
      await seed(env.db, p.model, { seed: 1, counts, out: p.out, seeders });
      expect(exportHashes(p.out)).toEqual(first);
      expect(await count(env.db, "SELECT count(*) AS n FROM members WHERE first_name LIKE 'Zed%'")).toBe(50);
    } finally {
      await env.db.close();
      await env.drop();
      p.cleanup();
    }
  });
});
