import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { EcomError } from '../src/errors.ts';
import { defaultWorkers, plannedCounts, seed, type SeedOptions } from '../src/seed/seed.ts';
import { verify } from '../src/seed/verify.ts';
import { backends } from './helpers/databases.ts';
import { checksums } from './helpers/checksums.ts';
import { exportHashes } from './helpers/digest.ts';
import { REPO, scratchProject } from './helpers/project.ts';

/** Worker threads generate, the main thread writes: the output must not depend on how many there are. */
describe.each(backends)('seeding with worker threads on $name', (backend) => {
  let env: Awaited<ReturnType<typeof backend.fresh>>;
  let p: ReturnType<typeof scratchProject>;
  const run = (extra: Partial<SeedOptions> = {}) =>
    seed(env.db, p.model, {
      seed: 7,
      counts: plannedCounts(p.model),
      out: p.out,
      seeders: join(p.root, 'prisma/seeders'),
      batchSize: 64,
      ...extra,
    });

  beforeAll(async () => {
    env = await backend.fresh();
    p = scratchProject('ecommerce_model.json');
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
  });
  afterAll(async () => {
    await env.db.close();
    await env.drop();
  });

  it('gives byte-identical files and identical tables with 1, 2, 3 and 4 workers', async () => {
    const digests: Record<string, string>[] = [];
    for (const workers of [1, 2, 3, 4]) {
      const result = await run({ workers });
      expect(result.workers).toBe(workers);
      digests.push({ ...exportHashes(p.out), ...(await checksums(env.db, p.model)) });
    }
    expect(Object.keys(digests[0]!)).toHaveLength(3 + 5); // users.csv, products.json, reviews.csv; five tables
    for (const d of digests.slice(1)) expect(d).toEqual(digests[0]);
    expect((await verify(env.db, p.model, p.out)).violations).toEqual([]);
  });

  it('never starts more workers than there are batches', async () => {
    const result = await run({ workers: 4, batchSize: 5000 });
    expect(result.workers).toBe(1); // 1,575 rows: one batch's worth, generated in the main thread
  });

  it('by default starts one worker per core, but one for a PostgreSQL server, none for a small seed', () => {
    const cores = availableParallelism();
    expect(defaultWorkers(1575, true)).toBe(1);
    expect(defaultWorkers(99_999, true)).toBe(1);
    expect(defaultWorkers(100_000, true)).toBe(Math.max(1, Math.min(2, cores - 1)));
    expect(defaultWorkers(10_000_000, true)).toBe(Math.max(1, cores - 1));
    expect(defaultWorkers(10_000_000, false)).toBe(cores);
  });

  it('a failure mid-load (a trigger raising) with workers leaves database and exports unchanged', async () => {
    const files = exportHashes(p.out);
    const tables = await checksums(env.db, p.model);
    await env.db.query(
      `CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 300 THEN RAISE EXCEPTION 'injected failure at row %', NEW.id; END IF; RETURN NEW; END $$`,
    );
    await env.db.query('CREATE TRIGGER fail_late BEFORE INSERT ON order_items FOR EACH ROW EXECUTE FUNCTION fail_late()');
    try {
      const err = await run({ seed: 99, workers: 3 }).catch((e) => e);
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

  it('an abort between batches (Ctrl-C) with workers leaves database and exports unchanged', async () => {
    const files = exportHashes(p.out);
    const tables = await checksums(env.db, p.model);
    const controller = new AbortController();
    const err = await run({
      seed: 5,
      workers: 2,
      signal: controller.signal,
      progress: { start() {}, advance: (t, n) => void (t === 'products' && n > 100 && controller.abort()), end() {} },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(EcomError);
    expect(err.message).toMatch(/interrupted/);
    expect(await checksums(env.db, p.model)).toEqual(tables);
    expect(exportHashes(p.out)).toEqual(files);
  });
});

describe('a worker thread that dies or fails mid-seed', () => {
  const pg = backends.find((b) => b.name === 'postgres')!;
  let env: Awaited<ReturnType<typeof pg.fresh>>;
  let p: ReturnType<typeof scratchProject>;
  const overrides = () => join(p.root, 'prisma/seeders/overrides/users.ts');
  const run = (workers: number, scale = 4) =>
    seed(env.db, p.model, {
      seed: 3,
      counts: plannedCounts(p.model, scale),
      out: p.out,
      seeders: join(p.root, 'prisma/seeders'),
      batchSize: 50,
      workers,
    });

  beforeAll(async () => {
    env = await pg.fresh();
    p = scratchProject('ecommerce_model.json');
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await run(2);
  });
  afterAll(async () => {
    await env.db.close();
    await env.drop();
  });

  it('a worker that exits while users are loading: the seed fails, database and exports unchanged', async () => {
    const files = exportHashes(p.out);
    const tables = await checksums(env.db, p.model);
    // process.exit in a worker thread ends that thread only, as a crash of the worker would
    writeFileSync(
      overrides(),
      "import { isMainThread } from 'node:worker_threads';\nexport default { phone: (ctx) => { if (!isMainThread && ctx.index === 400) process.exit(7); return null; } };\n",
    );
    const err = await run(2).catch((e) => e);
    expect(err).toBeInstanceOf(EcomError);
    expect(err.message).toMatch(/seeding failed and was rolled back; the database and .* are unchanged/);
    expect(err.problems[0].message).toMatch(/worker thread generating rows stopped unexpectedly \(exit code 7\)/);
    expect(await checksums(env.db, p.model)).toEqual(tables);
    expect(exportHashes(p.out)).toEqual(files);
    expect(readdirSync(p.out).filter((f) => f.startsWith('.seeding'))).toEqual([]);
  });

  it("an override that throws in a worker fails the seed with the override's own message", async () => {
    const tables = await checksums(env.db, p.model);
    writeFileSync(
      overrides(),
      "export default { phone: (ctx) => { if (ctx.index === 333) throw new Error('no phone for row 333'); return null; } };\n",
    );
    const err = await run(3).catch((e) => e);
    expect(err).toBeInstanceOf(EcomError);
    expect(err.problems[0].message).toBe('no phone for row 333');
    expect(await checksums(env.db, p.model)).toEqual(tables);
  });

  it('an index whose rebuild fails, while the file-only tables are generated: database and exports unchanged', async () => {
    writeFileSync(overrides(), 'export default {};\n');
    const files = exportHashes(p.out);
    const tables = await checksums(env.db, p.model);
    // suspended for the load, rebuilt after it: division by zero on the row with id 700 (600 users now, 750 seeded)
    await env.db.query('CREATE INDEX fails_on_rebuild ON users ((1 / (id - 700)))');
    try {
      const err = await run(2, 5).catch((e) => e);
      expect(err).toBeInstanceOf(EcomError);
      expect(err.message).toMatch(/seeding failed and was rolled back/);
      expect(err.problems[0].message).toMatch(/division by zero/);
    } finally {
      await env.db.query('DROP INDEX fails_on_rebuild');
    }
    expect(await checksums(env.db, p.model)).toEqual(tables);
    expect(exportHashes(p.out)).toEqual(files);
  });

  it('seeders that no longer match the model are reported from a worker as from the main thread', async () => {
    writeFileSync(overrides(), 'export default {};\n');
    writeFileSync(join(p.root, 'prisma/seeders/users.ts'), "export const users = { table: 'users', columns: ['id'], overrides: {} };\n");
    for (const workers of [1, 2]) {
      const err = await run(workers).catch((e) => e);
      expect(err).toBeInstanceOf(EcomError);
      expect(err.message).toMatch(/the seeders in .* do not match the model \(table "users"\)/);
      expect(err.problems[0]).toMatchObject({ message: expect.stringMatching(/columns id ≠ model id,email/), hint: 'run `ecom codegen`' });
    }
  });
});

describe('the compiled CLI with workers', () => {
  const pg = backends.find((b) => b.name === 'postgres')!;

  it('killed (SIGKILL) mid-seed: database and exports unchanged; the next seed cleans up and completes', async () => {
    const env = await pg.fresh();
    const p = scratchProject('ecommerce_model.json');
    try {
      await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      const ecom = (args: string[]) =>
        spawn(
          process.execPath,
          [join(REPO, 'bin/run.js'), 'seed', '--model', join(p.root, 'ecommerce_model.json'), '--out', p.out, ...args],
          {
            cwd: p.root,
            env: { ...process.env, DATABASE_URL: env.url! },
          },
        );
      const finished = (child: ReturnType<typeof ecom>) =>
        new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
        });
      const first = await finished(ecom(['--seed', '1', '--workers', '2']));
      expect(first.code, first.stderr).toBe(0);
      const files = exportHashes(p.out);
      const tables = await checksums(env.db, p.model);

      const child = ecom(['--seed', '2', '--workers', '2', '--scale', '200']);
      const done = finished(child);
      // killed once the first tables are written and products are streaming
      await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => /users/.test(String(d)) && resolve()));
      child.kill('SIGKILL');
      const killed = await done;
      expect(killed.signal).toBe('SIGKILL');
      expect(await checksums(env.db, p.model)).toEqual(tables);
      expect(exportHashes(p.out)).toEqual(files);
      expect(readdirSync(p.out).filter((f) => f.startsWith('.seeding'))).toHaveLength(1); // the dead process's scratch

      const again = await finished(ecom(['--seed', '1', '--workers', '2', '--json']));
      expect(again.code, again.stderr).toBe(0);
      expect(exportHashes(p.out)).toEqual(files);
      expect(await checksums(env.db, p.model)).toEqual(tables);
      expect(readdirSync(p.out).filter((f) => f.startsWith('.seeding'))).toEqual([]);
    } finally {
      await env.db.close();
      await env.drop();
    }
  });
});
