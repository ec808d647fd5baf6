import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { EcomError } from '../src/errors.ts';
import { finishShards, plannedCounts, prepareShards, seed, type SeedOptions } from '../src/seed/seed.ts';
import { parseShard, sliceOf } from '../src/seed/shard.ts';
import { parseCsv } from '../src/seed/verify/files.ts';
import { backends } from './helpers/databases.ts';
import { checksums } from './helpers/checksums.ts';
import { count } from './helpers/digest.ts';
import { REPO, scratchModel, scratchProject } from './helpers/project.ts';

const pg = backends.find((b) => b.name === 'postgres')!;

/** The catalog's definitions of every constraint and index: what prepare suspends and finish must give back. */
async function schemaObjects(db: Database): Promise<string[]> {
  const rows = await db.query<{ d: string }>(
    `SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE connamespace = 'public'::regnamespace
     UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.d);
}

function csvRecords(file: string) {
  return parseCsv(readFileSync(file, 'utf8'));
}

describe('shard arithmetic', () => {
  it('parses I/N, prepare/N and finish/N and rejects the rest with the reason', () => {
    expect(parseShard('2/4')).toEqual({ step: 'load', index: 2, count: 4 });
    expect(parseShard('prepare/4')).toEqual({ step: 'prepare', count: 4 });
    expect(parseShard('finish/1')).toEqual({ step: 'finish', count: 1 });
    expect(() => parseShard('5/4')).toThrow(/shard 5 of 4 does not exist; I goes from 1 to 4/);
    expect(() => parseShard('0/4')).toThrow(/shard 0 of 4 does not exist/);
    expect(() => parseShard('2/0')).toThrow(/expected I\/N/);
    expect(() => parseShard('half')).toThrow(/expected I\/N \(1 ≤ I ≤ N\), prepare\/N or finish\/N/);
  });

  it('cuts every row count into N contiguous slices that cover it exactly', () => {
    for (const rows of [0, 1, 2, 7, 100, 1_000_003]) {
      for (const n of [1, 2, 3, 4, 7, 16]) {
        const slices = Array.from({ length: n }, (_, i) => sliceOf(rows, { index: i + 1, count: n }));
        expect(slices[0]![0]).toBe(0);
        expect(slices.at(-1)![1]).toBe(rows);
        for (let i = 1; i < n; i++) expect(slices[i]![0]).toBe(slices[i - 1]![1]);
        for (const [a, b] of slices) expect(b - a).toBeLessThanOrEqual(Math.ceil(rows / n));
      }
    }
  });
});

describe('a sharded seed on PostgreSQL equals the unsharded seed', () => {
  let whole: Awaited<ReturnType<typeof pg.fresh>>;
  let sharded: Awaited<ReturnType<typeof pg.fresh>>;
  let p: ReturnType<typeof scratchProject>;
  const shardsOut = () => join(p.root, 'sharded');
  const counts = () => plannedCounts(p.model, 3);
  const options = (extra: Partial<SeedOptions> = {}): SeedOptions => ({
    seed: 5,
    counts: counts(),
    out: shardsOut(),
    batchSize: 100,
    ...extra,
  });

  beforeAll(async () => {
    p = scratchProject('ecommerce_model.json');
    whole = await pg.fresh();
    sharded = await pg.fresh();
    await migrate(whole.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await migrate(sharded.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await seed(whole.db, p.model, { seed: 5, counts: counts(), out: p.out });
  });
  afterAll(async () => {
    for (const env of [whole, sharded]) {
      await env.db.close();
      await env.drop();
    }
  });

  it('prepare, 3 concurrent shard processes of the compiled CLI, finish: same tables, constraints, sequences; parts add up to the files', async () => {
    const constraints = await schemaObjects(sharded.db);
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            join(REPO, 'bin/run.js'),
            'seed',
            '--model',
            join(p.root, 'ecommerce_model.json'),
            '--scale',
            '3',
            '--seed',
            '5',
            '--out',
            shardsOut(),
            ...args,
          ],
          { cwd: p.root, env: { ...process.env, DATABASE_URL: sharded.url! } },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const prepared = await cli(['--shard', 'prepare/3']);
    expect(prepared.code, prepared.stderr).toBe(0);
    expect(prepared.stdout).toMatch(/Prepared .* for 3 shards: 5 tables emptied, \d+ foreign keys and \d+ indexes suspended/);
    const shards = await Promise.all([1, 2, 3].map((i) => cli(['--shard', `${i}/3`, '--workers', '1'])));
    for (const [i, s] of shards.entries()) {
      expect(s.code, s.stderr).toBe(0);
      expect(s.stdout).toMatch(new RegExp(`Seeded shard ${i + 1}/3 of PostgreSQL`));
    }
    const finished = await cli(['--shard', 'finish/3']);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toMatch(/all 3 shards loaded/);

    expect(await checksums(sharded.db, p.model)).toEqual(await checksums(whole.db, p.model));
    expect(await schemaObjects(sharded.db)).toEqual(constraints);
    expect(await count(sharded.db, "SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE '\\_ecom\\_%'")).toBe(0);
    await sharded.db.query("INSERT INTO categories (name) VALUES ('after the load')");
    expect(await count(sharded.db, "SELECT id AS n FROM categories WHERE name = 'after the load'")).toBe(counts().categories! + 1);

    // CSV: each part is a complete file; the parts' records in order are the file's records, byte for byte
    for (const table of ['users', 'reviews']) {
      const parts = [1, 2, 3].map((i) => join(shardsOut(), `csv/${table}.part-${i}-of-3.csv`));
      const full = readFileSync(join(p.out, `csv/${table}.csv`), 'utf8');
      const texts = parts.map((f) => readFileSync(f, 'utf8'));
      const header = full.slice(0, full.indexOf('\r\n') + 2);
      for (const t of texts) expect(t.startsWith(header)).toBe(true);
      expect(header + texts.map((t) => t.slice(header.length)).join('')).toBe(full);
      expect(parts.flatMap((f) => csvRecords(f).slice(1))).toEqual(csvRecords(join(p.out, `csv/${table}.csv`)).slice(1));
    }
    // JSON: each part is an array; the arrays concatenated are the file's array
    const jsonParts = [1, 2, 3].map((i) => JSON.parse(readFileSync(join(shardsOut(), `json/products.part-${i}-of-3.json`), 'utf8')));
    expect(jsonParts.every((a) => Array.isArray(a) && a.length > 0)).toBe(true);
    expect(jsonParts.flat()).toEqual(JSON.parse(readFileSync(join(p.out, 'json/products.json'), 'utf8')));
    expect(readdirSync(join(shardsOut(), 'csv')).sort()).toEqual([
      'reviews.part-1-of-3.csv',
      'reviews.part-2-of-3.csv',
      'reviews.part-3-of-3.csv',
      'users.part-1-of-3.csv',
      'users.part-2-of-3.csv',
      'users.part-3-of-3.csv',
    ]);
  });

  it('a failed shard is re-run alone; finish refuses until every shard is loaded; a loaded shard re-run changes nothing', async () => {
    await prepareShards(sharded.db, p.model, { seed: 5, counts: counts(), shards: 2 });
    await prepareShards(sharded.db, p.model, { seed: 5, counts: counts(), shards: 2 }); // again: still restorable
    // shard 2 of order_items holds ids above half of them
    const half = sliceOf(counts().order_items!, { index: 2, count: 2 })[0] + 1;
    await sharded.db.query(
      `CREATE FUNCTION fail_shard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = ${half + 10} THEN RAISE EXCEPTION 'injected failure at row %', NEW.id; END IF; RETURN NEW; END $$`,
    );
    await sharded.db.query('CREATE TRIGGER fail_shard BEFORE INSERT ON order_items FOR EACH ROW EXECUTE FUNCTION fail_shard()');
    try {
      const [one, two] = await Promise.allSettled(
        [1, 2].map((index) => seed(sharded.db, p.model, options({ shard: { index, count: 2 } }))),
      );
      expect(one!.status).toBe('fulfilled');
      expect(two!.status).toBe('rejected');
      const err = (two as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(EcomError);
      expect(err.message).toMatch(/^shard 2\/2 failed and was rolled back/);
      expect(err.problems[0]).toMatchObject({
        message: expect.stringMatching(/injected failure/),
        hint: 'run `ecom seed --shard 2/2` again once the cause is fixed',
      });
    } finally {
      await sharded.db.query('DROP TRIGGER fail_shard ON order_items');
      await sharded.db.query('DROP FUNCTION fail_shard()');
    }
    expect(readdirSync(join(shardsOut(), 'csv')).filter((f) => f.includes('-of-2'))).toEqual([
      'reviews.part-1-of-2.csv',
      'users.part-1-of-2.csv',
    ]);
    const refused = await finishShards(sharded.db, p.model, { shards: 2 }).catch((e) => e);
    expect(refused).toBeInstanceOf(EcomError);
    expect(refused.message).toBe('1 of 2 shards are not loaded yet; nothing was changed');
    expect(refused.problems).toEqual([{ pointer: 'shard 2/2', message: 'not loaded', hint: 'run `ecom seed --shard 2/2`' }]);

    const again = await seed(sharded.db, p.model, options({ shard: { index: 2, count: 2 } }));
    expect(again.alreadyLoaded).toBeUndefined();
    const before = await checksums(sharded.db, p.model);
    const rerun = await seed(sharded.db, p.model, options({ shard: { index: 1, count: 2 } }));
    expect(rerun.alreadyLoaded).toMatch(/^\d{4}-\d\d-\d\d /);
    expect(rerun.tables.find((t) => t.table === 'users')!.destinations).toEqual(['csv']);
    expect(await checksums(sharded.db, p.model)).toEqual(before);
    await finishShards(sharded.db, p.model, { shards: 2 });
    expect(await checksums(sharded.db, p.model)).toEqual(await checksums(whole.db, p.model));
    // the 3-shard parts made stale by the 2-shard export are gone
    expect(readdirSync(join(shardsOut(), 'csv')).sort()).toEqual([
      'reviews.part-1-of-2.csv',
      'reviews.part-2-of-2.csv',
      'users.part-1-of-2.csv',
      'users.part-2-of-2.csv',
    ]);
  });

  it('refuses shards of another plan, shards and finish without prepare, and finish/N of another N', async () => {
    const noPrepare = await seed(sharded.db, p.model, options({ shard: { index: 1, count: 2 } })).catch((e) => e);
    expect(noPrepare).toBeInstanceOf(EcomError);
    expect(noPrepare.message).toBe('no sharded load is prepared in this database');
    expect((await finishShards(sharded.db, p.model, { shards: 2 }).catch((e) => e)).message).toBe(
      'no sharded load is prepared in this database',
    );

    await prepareShards(sharded.db, p.model, { seed: 5, counts: counts(), shards: 2 });
    const otherSeed = await seed(sharded.db, p.model, options({ seed: 6, shard: { index: 1, count: 2 } })).catch((e) => e);
    expect(otherSeed.message).toBe('shard 1/2 does not match the prepared load');
    expect(otherSeed.problems).toEqual([expect.objectContaining({ pointer: 'seed', message: 'prepared with 5, this shard has 6' })]);
    const otherCounts = await seed(
      sharded.db,
      p.model,
      options({ counts: { ...counts(), users: 10 }, shard: { index: 1, count: 2 } }),
    ).catch((e) => e);
    expect(otherCounts.problems).toEqual([
      expect.objectContaining({ pointer: 'rows of users', message: `prepared with ${counts().users}, this shard has 10` }),
    ]);
    const otherN = await seed(sharded.db, p.model, options({ shard: { index: 1, count: 3 } })).catch((e) => e);
    expect(otherN.message).toBe('the database was prepared for 2 shards, not 3');
    expect((await finishShards(sharded.db, p.model, { shards: 3 }).catch((e) => e)).message).toBe(
      'the database was prepared for 2 shards, not 3',
    );
    // an unsharded seed replaces a sharded load left unfinished, constraints included
    const constraints = await schemaObjects(whole.db);
    await seed(sharded.db, p.model, { seed: 5, counts: counts(), out: join(p.root, 'again') });
    expect(await checksums(sharded.db, p.model)).toEqual(await checksums(whole.db, p.model));
    expect(await schemaObjects(sharded.db)).toEqual(constraints);
    expect(await count(sharded.db, "SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE '\\_ecom\\_%'")).toBe(0);
  });
});

describe.each(backends)('sharding a model with a foreign-key cycle on $name', (backend) => {
  it('loads the cycle-closing keys of every shard at finish', async () => {
    const p = scratchProject('test/fixtures/league_model.json');
    const whole = await backend.fresh();
    const sharded = await backend.fresh();
    try {
      for (const env of [whole, sharded]) await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      const counts = plannedCounts(p.model, 3);
      await seed(whole.db, p.model, { seed: 3, counts, out: p.out });
      await prepareShards(sharded.db, p.model, { seed: 3, counts, shards: 4 });
      for (const index of [4, 2, 3, 1])
        await seed(sharded.db, p.model, { seed: 3, counts, out: join(p.root, 'parts'), shard: { index, count: 4 }, batchSize: 3 });
      await finishShards(sharded.db, p.model, { shards: 4 });
      expect(await count(sharded.db, 'SELECT count(*) AS n FROM teams WHERE captain_id IS NOT NULL')).toBe(counts.teams);
      expect(await checksums(sharded.db, p.model)).toEqual(await checksums(whole.db, p.model));
    } finally {
      for (const env of [whole, sharded]) {
        await env.db.close();
        await env.drop();
      }
    }
  });
});

describe('bad --shard and --workers values', () => {
  const ecom = (args: string[]) =>
    spawnSync(process.execPath, [join(REPO, 'bin/run.js'), 'seed', ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '' },
    });

  it('exit 2 with the reason, before any work', () => {
    for (const [args, message] of [
      [['--shard', '5/4'], /--shard 5\/4: shard 5 of 4 does not exist; I goes from 1 to 4/],
      [['--shard', 'begin/4'], /--shard begin\/4: expected I\/N \(1 ≤ I ≤ N\), prepare\/N or finish\/N/],
      [['--workers', '0'], /--workers 0: must be a whole number ≥ 1, e.g. 4/],
      [['--workers', '1.5'], /--workers 1\.5: must be a whole number ≥ 1/],
    ] as const) {
      const r = ecom([...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/hint: see `ecom help seed`/);
    }
  });
});

describe('file parts across shard counts', () => {
  // file-only tables that depend on each other (keys drawn, timestamps after the parent's)
  const p = scratchModel({
    name: 'parts',
    tables: [
      {
        name: 'shops',
        count: 37,
        destination: 'csv',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int' },
          { name: 'name', type: 'text', generate: { kind: 'faker', method: 'company.name' } },
          { name: 'opened', type: 'datetime', generate: { kind: 'range', min: '2020-01-01T00:00:00Z', max: '2023-01-01T00:00:00Z' } },
        ],
      },
      {
        name: 'sales',
        count: 401,
        destination: 'json',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int' },
          { name: 'shop_id', type: 'int', references: { table: 'shops', column: 'id' }, generate: { kind: 'ref' } },
          { name: 'sold', type: 'datetime', generate: { kind: 'after', refs: [{ via: 'shop_id', column: 'opened' }], maxDays: 400 } },
        ],
      },
    ],
  });
  const seedInto = (out: string, shard?: { index: number; count: number }) =>
    seed(undefined, p.model, { seed: 9, counts: plannedCounts(p.model), out, shard, workers: shard ? 2 : 1, batchSize: 50 });

  it('with 1, 2 and 4 shards (2 workers each) give the same bytes once concatenated in order', async () => {
    const whole = join(p.root, 'whole');
    await seedInto(whole);
    const csv = readFileSync(join(whole, 'csv/shops.csv'), 'utf8');
    const json = JSON.parse(readFileSync(join(whole, 'json/sales.json'), 'utf8')) as unknown[];
    const header = csv.slice(0, csv.indexOf('\r\n') + 2);
    for (const n of [2, 4]) {
      const out = join(p.root, `shards-${n}`);
      for (let i = 1; i <= n; i++) await seedInto(out, { index: i, count: n });
      const parts = Array.from({ length: n }, (_, i) => readFileSync(join(out, `csv/shops.part-${i + 1}-of-${n}.csv`), 'utf8'));
      expect(header + parts.map((t) => t.slice(header.length)).join('')).toBe(csv);
      const arrays = Array.from(
        { length: n },
        (_, i) => JSON.parse(readFileSync(join(out, `json/sales.part-${i + 1}-of-${n}.json`), 'utf8')) as unknown[],
      );
      expect(arrays.flat()).toEqual(json);
    }
  });
});
