import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codegen } from '../src/codegen/codegen.ts';
import { migrate } from '../src/db/migrate.ts';
import { assertMigrated } from '../src/db/migrated.ts';
import { EcomError } from '../src/errors.ts';
import { loadModel } from '../src/model/load.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { tempDir } from './helpers/cleanup.ts';
import { backends } from './helpers/databases.ts';
import { scratchProject } from './helpers/project.ts';

/** Every file under `dir`, relative to it, with its content, sorted by path. */
function tree(dir: string): Record<string, string> {
  const files = readdirSync(dir, { withFileTypes: true, recursive: true }).filter((d) => d.isFile());
  const entries = files.map((d) => [relative(dir, join(d.parentPath, d.name)), readFileSync(join(d.parentPath, d.name), 'utf8')] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

describe('codegen after a model switch', () => {
  it('removes the generated seeders of tables that left the model and sets their overrides aside, restoring them when the model is back', () => {
    const p = scratchProject('ecommerce_model.json');
    const seeders = join(p.root, 'prisma/seeders');
    const edited = "// mine\nexport default { email: () => 'x@example.com' };\n";
    writeFileSync(join(seeders, 'overrides/users.ts'), edited);
    const shop = tree(seeders);
    const blogFile = join(p.root, 'blog.json');
    writeFileSync(blogFile, readFileSync('test/fixtures/blog_model.json'));
    const blog = loadModel(blogFile);

    // --check lists what a switch would remove, and writes nothing
    const check = codegen(blog, { root: p.root, modelFile: blogFile, check: true });
    expect(check.files.filter((f) => f.status === 'obsolete').map((f) => f.path)).toContain('prisma/seeders/users.ts');
    expect(check.files.filter((f) => f.status === 'obsolete').map((f) => f.path)).toContain('prisma/seeders/overrides/users.ts');
    expect(tree(seeders)).toEqual(shop);

    const switched = codegen(blog, { root: p.root, modelFile: blogFile, skipClient: true });
    const status = (s: string) =>
      switched.files
        .filter((f) => f.status === s)
        .map((f) => f.path)
        .sort();
    const shopTables = ['categories', 'order_items', 'orders', 'products', 'reviews', 'users'];
    expect(status('removed')).toEqual(shopTables.map((t) => `prisma/seeders/${t}.ts`));
    expect(status('set aside')).toEqual(shopTables.map((t) => `prisma/seeders/overrides/.unused/ecommerce/${t}.ts`));
    const files = Object.keys(tree(seeders)).filter((f) => !f.startsWith('overrides/.unused/'));
    expect(files).toEqual(
      [
        'authors.ts',
        'comments.ts',
        'index.ts',
        'post_tags.ts',
        'posts.ts',
        'tags.ts',
        ...['authors', 'comments', 'post_tags', 'posts', 'tags'].map((t) => `overrides/${t}.ts`),
      ].sort(),
    );
    expect(readFileSync(join(seeders, 'overrides/.unused/ecommerce/users.ts'), 'utf8')).toBe(edited);

    // back to the e-commerce model: every file as it was, the edited override byte for byte
    const back = codegen(p.model, { root: p.root, modelFile: join(p.root, 'ecommerce_model.json'), skipClient: true });
    expect(back.files.filter((f) => f.status === 'restored')).toHaveLength(6);
    const restored = tree(seeders);
    expect(Object.fromEntries(Object.entries(restored).filter(([f]) => !f.startsWith('overrides/.unused/')))).toEqual(shop);
    // the blog's overrides now wait for it
    expect(Object.keys(restored).filter((f) => f.startsWith('overrides/.unused/'))).toEqual(
      ['authors', 'comments', 'post_tags', 'posts', 'tags'].map((t) => `overrides/.unused/blog/${t}.ts`),
    );
    expect(
      codegen(p.model, { root: p.root, modelFile: join(p.root, 'ecommerce_model.json'), check: true }).files.map((f) => f.status),
    ).not.toContain('obsolete');
  });
});

describe.each(backends)('switching models on $name', (backend) => {
  it("refuses to seed, verify or dump a database that lacks the model's tables or columns, naming each and `ecom migrate`", async () => {
    const p = scratchProject('test/fixtures/blog_model.json');
    const env = await backend.fresh();
    try {
      const never = await assertMigrated(env.db, p.model, 'blog.json').catch((e) => e);
      expect(never).toBeInstanceOf(EcomError);
      expect(never.message).toBe('the database was never migrated for model "blog": run `ecom migrate`');
      expect(never.problems.map((x: { pointer: string }) => x.pointer)).toEqual(['authors', 'posts', 'tags', 'post_tags']);
      expect(never.problems[0]).toEqual({
        pointer: 'authors',
        message: 'table "authors" does not exist in the database',
        hint: "run `ecom migrate --model blog.json` (or `ecom run`), which creates the model's tables",
      });
      await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await assertMigrated(env.db, p.model, 'blog.json');
      await env.db.exec('ALTER TABLE posts DROP COLUMN metadata');
      const partly = await assertMigrated(env.db, p.model, 'blog.json').catch((e) => e);
      expect(partly.message).toBe('the database is not migrated to model "blog": run `ecom migrate`');
      expect(partly.problems).toEqual([
        expect.objectContaining({ pointer: 'posts.metadata', message: 'column "metadata" does not exist in table "posts"' }),
      ]);
    } finally {
      await env.db.close();
      await env.drop();
    }
    p.cleanup();
  });

  it("keeps one model's exports from mixing with another's, and a failed seed leaves them as they were", async () => {
    const shop = scratchProject('ecommerce_model.json');
    const blog = scratchProject('test/fixtures/blog_model.json');
    const out = tempDir('ecom-exports-');
    const shopDb = await backend.fresh();
    const blogDb = await backend.fresh();
    try {
      await migrate(shopDb.db, { schemaFile: shop.schemaFile, migrationsDir: shop.migrationsDir });
      await seed(shopDb.db, shop.model, { seed: 1, counts: plannedCounts(shop.model), out });
      // what `ecom run` writes beside the files, and files ecom does not own
      for (const f of ['verify.json', 'report.html', 'database_dump.sql', 'notes.txt', 'csv/mine.csv']) writeFileSync(join(out, f), f);
      const before = tree(out);
      expect(Object.keys(before)).toEqual(
        [
          'csv/mine.csv',
          'csv/reviews.csv',
          'csv/users.csv',
          'database_dump.sql',
          'json/products.json',
          'manifest.json',
          'notes.txt',
          'report.html',
          'verify.json',
        ].sort(),
      );

      // the blog's seed fails (its database lost a column after migrating): the folder is untouched
      await migrate(blogDb.db, { schemaFile: blog.schemaFile, migrationsDir: blog.migrationsDir });
      await blogDb.db.exec('ALTER TABLE posts DROP COLUMN metadata');
      await expect(seed(blogDb.db, blog.model, { seed: 1, counts: plannedCounts(blog.model), out })).rejects.toThrow(/rolled back/);
      expect(tree(out)).toEqual(before);

      await blogDb.db.exec('ALTER TABLE posts ADD COLUMN metadata JSONB NOT NULL');
      await seed(blogDb.db, blog.model, { seed: 1, counts: plannedCounts(blog.model), out });
      expect(Object.keys(tree(out))).toEqual(['csv/comments.csv', 'csv/mine.csv', 'json/tags.json', 'manifest.json', 'notes.txt'].sort());
      expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).model).toBe('blog');
    } finally {
      for (const env of [shopDb, blogDb]) {
        await env.db.close();
        await env.drop();
      }
    }
    shop.cleanup();
    blog.cleanup();
  });
});
