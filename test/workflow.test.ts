import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { createPgDatabase } from './helpers/databases.ts';
import { sha } from './helpers/digest.ts';
import { freshClone, REPO } from './helpers/project.ts';

// A user's model in a fresh clone, through the CLI as the README tells it: nothing deleted by hand.
const clone = freshClone();

function ecom(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '' };
  delete base.ECOM_PGLITE_DIR; // the default folder, .ecom/pglite in the clone, unless a test names one
  const r = spawnSync(process.execPath, [join(clone, 'bin/run.js'), ...args], { cwd: clone, encoding: 'utf8', env: { ...base, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const files = (dir: string) => (existsSync(join(clone, dir)) ? readdirSync(join(clone, dir)).sort() : []);

/** Every file under a folder of the clone with its hash, leaving out the folders named in `skip`. */
function hashes(dir: string, skip = /^$/): Record<string, string> {
  const root = join(clone, dir);
  return Object.fromEntries(
    readdirSync(root, { withFileTypes: true, recursive: true })
      .filter((d) => d.isFile())
      .map((d) => relative(root, join(d.parentPath, d.name)))
      .filter((f) => !skip.test(f))
      .sort()
      .map((f) => [f, sha(join(root, f))]),
  );
}

/** The migrations folder Prisma's own CLI uses in the clone, as its config loader reads prisma.config.ts. */
function prismaMigrationsPath(): string {
  const script = "import('@prisma/config').then(async (m) => console.log((await m.loadConfigFromFile({})).config.migrations.path))";
  const r = spawnSync(process.execPath, ['-e', script], { cwd: clone, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
}

async function migrationNames(url: string): Promise<string[]> {
  const db = await connect({ url });
  try {
    return (await db.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name')).map(
      (r) => r.migration_name,
    );
  } finally {
    await db.close();
  }
}

// every step spawns the CLI, and a model switch regenerates the Prisma client: generous budgets
describe("a fresh clone with the user's own model", { timeout: 600_000 }, () => {
  const shopHistory = hashes('prisma/migrations/ecommerce');
  const shopSeeders = hashes('prisma/seeders');
  const shopSchema = sha(join(clone, 'prisma/schema.prisma'));
  let pgUrl = '';

  it('`ecom run --model mine.json` works first time on a new PGlite folder and on an empty PostgreSQL, beside the e-commerce history', async () => {
    cpSync(join(REPO, 'test/fixtures/blog_model.json'), join(clone, 'mine.json'));
    const first = ecom(['run', '--model', 'mine.json']);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    const init = /2\/6 migrate +PGlite \.ecom\/pglite: created (\d{14}_init), 1 applied/.exec(first.stdout)?.[1];
    expect(init, first.stdout).toBeDefined();
    expect(files('prisma/migrations')).toEqual(['blog', 'ecommerce']);
    expect(files('prisma/migrations/blog')).toEqual([init, 'migration_lock.toml']);
    expect(hashes('prisma/migrations/ecommerce')).toEqual(shopHistory); // never diffed against the blog
    // only the blog's seeders remain beside its overrides, and the whole project compiles against the blog's client
    // (the orders extension declares the client it needs instead of importing the e-commerce one)
    expect(files('prisma/seeders')).toEqual(['authors.ts', 'comments.ts', 'index.ts', 'overrides', 'post_tags.ts', 'posts.ts', 'tags.ts']);
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], {
      cwd: clone,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    expect(prismaMigrationsPath()).toBe(join(clone, 'prisma/migrations/blog')); // Prisma's CLI follows the model
    // the e-commerce exports made way for the blog's
    expect(files('exports/csv')).toEqual(['comments.csv']);
    expect(files('exports/json')).toEqual(['tags.json']);

    const scratch = await createPgDatabase();
    pgUrl = scratch.url;
    const pg = ecom(['run', '--model', 'mine.json', '--out', 'exports-pg', '--json'], { DATABASE_URL: pgUrl });
    expect(pg.stderr).toBe('');
    expect(pg.code).toBe(0);
    expect(JSON.parse(pg.stdout).tables.map((t: { rows: number }) => t.rows)).toEqual([20, 60, 12, 90, 150]);
    expect(await migrationNames(pgUrl)).toEqual([init]);
    expect(files('prisma/migrations/blog')).toEqual([init, 'migration_lock.toml']); // applied, not made again
  });

  it('`ecom run --accept-data-loss` lets a model change drop a column, after refusing without it', async () => {
    const model = JSON.parse(readFileSync(join(clone, 'mine.json'), 'utf8'));
    const posts = model.tables.find((t: { name: string }) => t.name === 'posts');
    posts.columns = posts.columns.filter((c: { name: string }) => c.name !== 'metadata');
    writeFileSync(join(clone, 'mine.json'), JSON.stringify(model, null, 2));
    const before = files('prisma/migrations/blog');
    const refused = ecom(['run', '--model', 'mine.json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Error: the schema change would lose data, so no migration was created/);
    expect(refused.stderr).toMatch(/\n {2}posts\.metadata: You are about to drop the column `metadata` on the `posts` table/);
    expect(refused.stderr).toMatch(/hint: back up what you need, then run again with --accept-data-loss/);
    expect(files('prisma/migrations/blog')).toEqual(before);
    const accepted = ecom(['run', '--model', 'mine.json', '--accept-data-loss']);
    expect(accepted.stderr).not.toMatch(/Error/);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/2\/6 migrate +PGlite \.ecom\/pglite: created \d{14}_update, 1 applied/);
    // the PostgreSQL database takes the same history
    const pg = ecom(['run', '--model', 'mine.json', '--out', 'exports-pg'], { DATABASE_URL: pgUrl });
    expect(pg.code).toBe(0);
    expect(await migrationNames(pgUrl)).toEqual(files('prisma/migrations/blog').filter((f) => f !== 'migration_lock.toml'));
  });

  it("switching back to the e-commerce model refuses the blog's database, then works on a new one, leaving nothing of the blog", async () => {
    const back = ecom(['run']);
    expect(back.code).toBe(1);
    expect(back.stderr).toMatch(/^Error: the database was migrated with migrations that prisma\/migrations\/ecommerce does not have/);
    expect(back.stderr).toContain(`(model "blog"'s history, in prisma/migrations/blog)`);
    expect(back.stderr).toMatch(/hint: migrate an empty database instead: another DATABASE_URL, or a new PGlite folder/);
    const json = ecom(['migrate', '--json'], { DATABASE_URL: pgUrl });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      message: expect.stringMatching(/^the database was migrated with migrations that/),
      problems: [{ pointer: '_prisma_migrations', hint: expect.stringMatching(/migrate an empty database/) }],
      exitCode: 1,
    });

    const shop = ecom(['run'], { ECOM_PGLITE_DIR: '.ecom/shop' });
    expect(shop.stderr).not.toMatch(/Error/);
    expect(shop.code).toBe(0);
    expect(shop.stdout).toMatch(/2\/6 migrate +PGlite \.ecom\/shop: 2 applied/);
    expect(files('exports/csv')).toEqual(['reviews.csv', 'users.csv']);
    expect(files('exports/json')).toEqual(['products.json']);
    expect(JSON.parse(readFileSync(join(clone, 'exports/manifest.json'), 'utf8')).model).toBe('ecommerce');
    // the checkout is as it was cloned, but for the blog's history and its overrides set aside
    expect(hashes('prisma/seeders', /^overrides\/\.unused\//)).toEqual(shopSeeders);
    expect(files('prisma/seeders/overrides/.unused')).toEqual(['blog']);
    expect(hashes('prisma/migrations/ecommerce')).toEqual(shopHistory);
    expect(sha(join(clone, 'prisma/schema.prisma'))).toBe(shopSchema);
    expect(prismaMigrationsPath()).toBe(join(clone, 'prisma/migrations/ecommerce'));
  });
});

/** The database the CLI reaches with these variables, opened by the test. */
const open = (where: Record<string, string>) =>
  connect(where.DATABASE_URL ? { url: where.DATABASE_URL } : { url: '', pgliteDir: where.ECOM_PGLITE_DIR });

describe.each([
  { name: 'PGlite', env: async (): Promise<Record<string, string>> => ({ ECOM_PGLITE_DIR: join(clone, `.ecom/empty-${Date.now()}`) }) },
  { name: 'PostgreSQL', env: async (): Promise<Record<string, string>> => ({ DATABASE_URL: (await createPgDatabase()).url }) },
])('errors that say what to do, on $name', { timeout: 300_000 }, ({ env }) => {
  it('seed, verify, report and export-db on a database that was never migrated say to run `ecom migrate`, naming the tables', async () => {
    const where = await env();
    for (const command of ['seed', 'verify', 'report', 'export-db']) {
      const r = ecom([command], where);
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toMatch(/^Error: the database was never migrated for model "ecommerce": run `ecom migrate`\n/);
      expect(r.stderr, command).toMatch(
        /\n {2}categories: table "categories" does not exist in the database\n {4}hint: run `ecom migrate --model ecommerce_model\.json`/,
      );
      expect(r.stderr, command).toMatch(/\n {2}order_items: table "order_items" does not exist/);
      expect(r.stderr, command).not.toMatch(/relation .* does not exist/);
    }
    const json = JSON.parse(ecom(['verify', '--json'], where).stdout);
    expect(json.error.exitCode).toBe(1);
    expect(json.error.problems.map((p: { pointer: string }) => p.pointer)).toEqual([
      'categories',
      'users',
      'products',
      'orders',
      'order_items',
    ]);
  });

  it('`ecom migrate` on a database restored without its history explains P3005 and offers --baseline, which checks the schema first', async () => {
    const where = await env();
    // a plain SQL restore of the e-commerce schema, without Prisma's history
    const db = await open(where);
    try {
      for (const m of files('prisma/migrations/ecommerce').filter((f) => f !== 'migration_lock.toml'))
        await db.exec(readFileSync(join(clone, 'prisma/migrations/ecommerce', m, 'migration.sql'), 'utf8'));
      await db.exec('DROP INDEX orders_total_amount_idx');
    } finally {
      await db.close();
    }
    const refused = ecom(['migrate'], where);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: the database already has tables but no migration history, so nothing was applied\n/);
    expect(refused.stderr).toMatch(/_prisma_migrations: missing while the schema is not empty \(Prisma P3005\)/);
    expect(refused.stderr).toMatch(/hint: if it already has the model's schema, run `ecom migrate --baseline`/);
    const drift = ecom(['migrate', '--baseline', '--json'], where);
    expect(drift.code).toBe(1);
    expect(JSON.parse(drift.stdout).error).toMatchObject({
      message: "the database's schema differs from the model's in 1 place, so it was not baselined",
      problems: [{ pointer: 'orders.total_amount', message: 'the model has index orders_total_amount_idx; the database does not' }],
      exitCode: 1,
    });
    const fixed = await open(where);
    await fixed.exec('CREATE INDEX orders_total_amount_idx ON orders(total_amount)');
    await fixed.close();
    const baselined = ecom(['migrate', '--baseline'], where);
    expect(baselined.stderr).toBe('');
    expect(baselined.code).toBe(0);
    expect(baselined.stdout).toMatch(
      /The database's schema is the model's: recorded 20261126190143_init, 20261126193410_add_orders_total_amount_index as applied/,
    );
    const again = ecom(['migrate'], where);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Database is up to date: nothing to apply/);
    const seeded = ecom(['seed', '--json'], where);
    expect(seeded.code).toBe(0);
  });
});
