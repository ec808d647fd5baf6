import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { EcomError, type Problem } from '../../src/errors.ts';
import { parseModel } from '../../src/model/load.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { parseCsv } from '../../src/seed/verify/files.ts';
import { checksums } from '../helpers/checksums.ts';
import { backends } from '../helpers/databases.ts';
import { scratchModel } from '../helpers/project.ts';

const id = { name: 'id', type: 'int', default: 'autoincrement' };
const fk = (name: string, table: string, extra: object = {}) => ({ name, type: 'int', references: { table, column: 'id' }, ...extra });

/** Every shape of unique foreign key, mostly without a generator: each must seed and verify. */
const shapes = () => ({
  name: 'keys',
  tables: [
    { name: 'users', count: 30, destination: 'postgres', primaryKey: ['id'], columns: [id, { name: 'name', type: 'text' }] },
    // 0: one-to-one through a unique column, as many rows as parents
    { name: 'profiles', count: 30, destination: 'postgres', primaryKey: ['id'], columns: [id, fk('user_id', 'users', { unique: true })] },
    // 2: one-to-one through the primary key
    {
      name: 'accounts',
      count: 25,
      destination: 'postgres',
      primaryKey: ['user_id'],
      columns: [fk('user_id', 'users'), { name: 'balance', type: 'decimal(10,2)' }],
    },
    // 3: one-to-one through a unique index, nullable, in a file
    {
      name: 'settings',
      count: 20,
      destination: 'csv',
      primaryKey: ['id'],
      columns: [id, fk('user_id', 'users', { nullable: true, nullRate: 0.3 })],
      indexes: [{ columns: ['user_id'], unique: true }],
    },
    {
      name: 'tags',
      count: 6,
      destination: 'postgres',
      primaryKey: ['id'],
      columns: [
        id,
        { name: 'label', type: 'varchar(20)', unique: true, generate: { kind: 'list', values: ['a', 'b', 'c', 'd', 'e', 'f'] } },
      ],
    },
    { name: 'posts', count: 10, destination: 'postgres', primaryKey: ['id'], columns: [id, { name: 'title', type: 'text' }] },
    // 6: distinctPer beside a sibling key without a generator
    {
      name: 'post_tags',
      count: 40,
      destination: 'postgres',
      primaryKey: ['post_id', 'tag_id'],
      columns: [fk('post_id', 'posts'), fk('tag_id', 'tags', { generate: { kind: 'ref', distinctPer: 'post_id' } })],
    },
    // 7: a join table without generators, in a file
    {
      name: 'likes',
      count: 60,
      destination: 'json',
      primaryKey: ['user_id', 'tag_id'],
      columns: [fk('user_id', 'users'), fk('tag_id', 'tags')],
    },
    // 8: every combination of parents, exactly once
    {
      name: 'all_pairs',
      count: 60,
      destination: 'postgres',
      primaryKey: ['post_id', 'tag_id'],
      columns: [fk('post_id', 'posts'), fk('tag_id', 'tags')],
    },
    // 9: a unique self-reference: chains
    {
      name: 'versions',
      count: 30,
      destination: 'postgres',
      primaryKey: ['id'],
      columns: [id, fk('previous_id', 'versions', { nullable: true, unique: true })],
    },
    // 10: a parent summing its one-to-one child
    {
      name: 'orders',
      count: 30,
      destination: 'postgres',
      primaryKey: ['id'],
      columns: [
        id,
        { name: 'total', type: 'decimal(10,2)', generate: { kind: 'sum', table: 'invoices', via: 'order_id', multiply: ['amount'] } },
      ],
    },
    {
      name: 'invoices',
      count: 20,
      destination: 'postgres',
      primaryKey: ['id'],
      columns: [id, fk('order_id', 'orders', { unique: true }), { name: 'amount', type: 'decimal(10,2)' }],
    },
    // 12: a unique int column and a unique key mixing a foreign key with a sequence
    {
      name: 'seats',
      count: 50,
      destination: 'postgres',
      primaryKey: ['id'],
      columns: [
        id,
        { name: 'code', type: 'int', unique: true },
        fk('user_id', 'users'),
        { name: 'n', type: 'int', generate: { kind: 'sequence' } },
      ],
      indexes: [{ columns: ['user_id', 'n'], unique: true }],
    },
    // 13: unique text longer than its column: cut, keeping the row number
    {
      name: 'codes',
      count: 200,
      destination: 'csv',
      primaryKey: ['code'],
      columns: [
        { name: 'code', type: 'varchar(6)' },
        { name: 'sku', type: 'varchar(9)', unique: true, generate: { kind: 'pattern', pattern: 'SKU-????-{row}' } },
      ],
    },
  ],
});

function problemsOf(change: (m: any) => void): Problem[] {
  const m = shapes() as any;
  change(m);
  try {
    parseModel(JSON.stringify(m), 'keys.json');
  } catch (e) {
    expect(e).toBeInstanceOf(EcomError);
    return (e as EcomError).problems;
  }
  throw new Error('accepted');
}

describe('unique foreign keys and composite keys seed without duplicates (PostgreSQL, CSV, JSON)', () => {
  const postgres = backends.find((b) => b.name === 'postgres')!;
  let env: Awaited<ReturnType<typeof postgres.fresh>>;
  let p: ReturnType<typeof scratchModel>;
  const n = async (db: Database, sql: string) => Number((await db.query<{ n: unknown }>(sql))[0]!.n);
  beforeAll(async () => {
    env = await postgres.fresh();
    p = scratchModel(shapes());
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
  });
  afterAll(async () => {
    await env.db.close();
    await env.drop();
  });

  it('seeds every shape, and verify finds nothing', async () => {
    await seed(env.db, p.model, { seed: 4, counts: plannedCounts(p.model), out: p.out, batchSize: 7 });
    expect((await verify(env.db, p.model, p.out)).violations).toEqual([]);
    expect(await n(env.db, 'SELECT count(DISTINCT user_id) AS n FROM profiles')).toBe(30); // each user once
    expect(await n(env.db, 'SELECT count(DISTINCT (post_id, tag_id)) AS n FROM all_pairs')).toBe(60);
    expect(await n(env.db, 'SELECT count(*) AS n FROM versions WHERE previous_id IS NOT NULL')).toBeGreaterThan(0);
    expect(await n(env.db, 'SELECT count(*) AS n FROM orders WHERE total > 0')).toBe(20); // 20 orders have their invoice
    expect(await n(env.db, 'SELECT count(DISTINCT post_id) AS n FROM post_tags')).toBe(10); // every post tagged
    const codes = parseCsv(readFileSync(join(p.out, 'csv/codes.csv'), 'utf8')).slice(1);
    expect(codes.map((r) => r[0]!.length).every((l) => l <= 6)).toBe(true);
    expect(codes.at(-1)![1]).toMatch(/^SKU-[A-Z]{0,4}-200$/);
  });

  it('is deterministic: the same seed gives the same tables', async () => {
    const before = await checksums(env.db, p.model);
    await seed(env.db, p.model, { seed: 4, counts: plannedCounts(p.model), out: p.out });
    expect(await checksums(env.db, p.model)).toEqual(before);
  });

  it('refuses --count beyond what a unique key allows, before changing anything', async () => {
    const before = await checksums(env.db, p.model);
    const err = await seed(env.db, p.model, { seed: 5, counts: plannedCounts(p.model, 1, { profiles: 31 }), out: p.out }).catch((e) => e);
    expect(err).toBeInstanceOf(EcomError);
    expect(err.problems).toEqual([expect.objectContaining({ pointer: '/tables/1/count', message: expect.stringMatching(/31 rows/) })]);
    expect(await checksums(env.db, p.model)).toEqual(before);
  });
});

describe('validation of unique keys', () => {
  const cases: [string, (m: any) => void, string, RegExp][] = [
    [
      'more rows than parents for a one-to-one key',
      (m) => (m.tables[1].count = 31),
      '/tables/1/count',
      /"profiles" has 31 rows, but its unique foreign key "user_id" can use each of the 30 rows of "users" only once/,
    ],
    ['… through the primary key', (m) => (m.tables[2].count = 31), '/tables/2/count', /unique foreign key "user_id"/],
    [
      'more rows than pairs of parents',
      (m) => (m.tables[6].count = 61),
      '/tables/6/count',
      /"post_tags.tag_id" is distinctPer "post_id", and there are only 10 × 6 = 60 pairs/,
    ],
    ['… for a join table without generators', (m) => (m.tables[8].count = 61), '/tables/8/count', /only 10 × 6 = 60 pairs/],
    [
      'a spread on a one-to-one key',
      (m) => (m.tables[1].columns[1].generate = { kind: 'ref', spread: 'skewed' }),
      '/tables/1/columns/1/generate/spread',
      /unique foreign key, so each parent row is used at most once, which spread "skewed" does not do/,
    ],
    [
      'distinctPer beside a uniform sibling',
      (m) => (m.tables[6].columns[0].generate = { kind: 'ref', spread: 'uniform' }),
      '/tables/6/columns/0/generate/spread',
      /"post_tags.tag_id" is distinctPer "post_id", so "post_tags.post_id" must number the rows sharing a parent/,
    ],
    [
      'distinctPer naming the key itself',
      (m) => (m.tables[6].columns[1].generate.distinctPer = 'tag_id'),
      '/tables/6/columns/1/generate/distinctPer',
      /"post_tags.tag_id" is distinctPer "tag_id"/,
    ],
    [
      'a composite key nothing makes unique',
      (m) => (m.tables[6].columns[1].generate = { kind: 'ref' }),
      '/tables/6/primaryKey',
      /primary key \(post_id, tag_id\) of table "post_tags" can repeat/,
    ],
    [
      'a unique column whose default generator repeats',
      (m) => m.tables[5].columns.push({ name: 'published_on', type: 'date', unique: true }),
      '/tables/5/columns/2/unique',
      /unique column "posts.published_on" has no generator, and the default for date columns can repeat values/,
    ],
    [
      'a sum over children that are not contiguous',
      (m) => {
        delete m.tables[11].columns[1].unique;
        m.tables[11].columns[1].generate = { kind: 'ref', spread: 'uniform' };
      },
      '/tables/11/columns/1/generate/spread',
      /"orders.total" sums the children of each "orders" row through "invoices.order_id"/,
    ],
    [
      'a unique column too short for its row numbers',
      (m) => (m.tables[13].columns[0].type = 'varchar(3)'),
      '/tables/13/columns/0/type',
      /"codes.code" is varchar\(3\), too short for the row numbers that keep it unique: " 200" needs 4 characters/,
    ],
    [
      'a unique json column',
      (m) => m.tables[5].columns.push({ name: 'meta', type: 'json', unique: true }),
      '/tables/5/columns/2/unique',
      /json column "meta", which cannot be part of a key/,
    ],
  ];

  it.each(cases)('rejects %s, with a pointer and a fix', (_name, change, pointer, message) => {
    const problems = problemsOf(change);
    const hit = problems.find((p) => p.pointer === pointer);
    expect(hit, JSON.stringify(problems, null, 2)).toBeDefined();
    expect(hit!.message).toMatch(message);
    expect(hit!.hint).toBeTruthy();
  });
});
