import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { parseCsv } from '../../src/seed/verify/files.ts';
import { backends } from '../helpers/databases.ts';
import { scratchModel, scratchProject } from '../helpers/project.ts';

/** Rewrites one field of a CSV export (the header is record 0); a copy of the original is kept to restore. */
function editCsv(file: string, record: number, column: string, value: string): void {
  const rows = parseCsv(readFileSync(file, 'utf8'));
  const at = rows[0]!.indexOf(column);
  rows[record]![at] = value;
  writeFileSync(file, rows.map((r) => r.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',')).join('\r\n') + '\r\n');
}

for (const backend of backends)
  describe(`verify in SQL on ${backend.name}: the files are checked like the tables`, () => {
    let env: Awaited<ReturnType<(typeof backends)[number]['fresh']>>;
    const p = scratchProject('ecommerce_model.json');
    const users = join(p.out, 'csv/users.csv');
    let original: string;
    beforeAll(async () => {
      env = await backend.fresh();
      await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await seed(env.db, p.model, { seed: 3, counts: plannedCounts(p.model, 0.2), out: p.out, workers: 1 });
      original = readFileSync(users, 'utf8');
    });
    beforeEach(() => writeFileSync(users, original));
    afterAll(async () => {
      await env.db.close();
      await env.drop();
    });

    it('passes on seeded data, checking every rule in each destination of a table', async () => {
      const report = await verify(env.db, p.model, p.out);
      expect(report.violations).toEqual([]);
      // users live in PostgreSQL and in users.csv: the rule of each address column runs on both
      const addressColumns = p.model.table('users').columns.filter((c) => c.def.generate?.kind === 'address').length;
      expect(report.tables.users!['rule address']).toBe(2 * addressColumns);
      expect(report.rows.users).toEqual({ postgres: 30, csv: 30 });
    });

    it('finds a rule broken only in the CSV copy, and the copies differing', async () => {
      editCsv(users, 3, 'city', 'Atlantis');
      const { violations } = await verify(env.db, p.model, p.out);
      const id = parseCsv(original)[3]![0];
      expect(violations.map((v) => `${v.check}: ${v.where}`)).toEqual([
        `destinations identical: csv users key ${id}`,
        expect.stringMatching(new RegExp(`^rule address: csv users\\.\\w+ \\(id=${id}\\)$`)),
      ]);
      expect(violations[1]!.detail).toContain('city Atlantis');
    });

    it('reports a file value that is not of its column type as a violation of each check it stops, not a crash', async () => {
      editCsv(users, 2, 'id', 'two');
      const report = await verify(env.db, p.model, p.out);
      expect(report.violations.length).toBeGreaterThan(0);
      expect(report.violations).toContainEqual(
        expect.objectContaining({
          check: 'primary key unique',
          table: 'users',
          detail: expect.stringMatching(/^cannot be checked: .*integer/),
        }),
      );
      // the checks of the other tables still ran
      expect(report.tables.order_items!['foreign key']).toBeGreaterThan(0);
    });
  });

describe('verify of a model without PostgreSQL tables', () => {
  const p = scratchModel({
    name: 'files',
    tables: [
      {
        name: 'authors',
        count: 20,
        destination: 'csv',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int' },
          { name: 'name', type: 'text', generate: { kind: 'faker', method: 'person.fullName' } },
        ],
      },
      {
        name: 'books',
        count: 50,
        destination: 'json',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int' },
          { name: 'author_id', type: 'int', references: { table: 'authors', column: 'id' }, generate: { kind: 'ref' } },
        ],
      },
    ],
  });

  it('checks the files in a scratch PGlite, foreign keys between files included', async () => {
    await seed(undefined, p.model, { seed: 1, counts: plannedCounts(p.model), out: p.out });
    expect((await verify(undefined, p.model, p.out)).violations).toEqual([]);
    const file = join(p.out, 'json/books.json');
    const books = JSON.parse(readFileSync(file, 'utf8')) as { id: number; author_id: number }[];
    books[7]!.author_id = 999;
    writeFileSync(file, JSON.stringify(books));
    expect((await verify(undefined, p.model, p.out)).violations).toEqual([
      { check: 'foreign key', table: 'books', where: 'json books.author_id=999', detail: 'no authors.id=999 in csv' },
    ]);
  });

  it('takes turns on the one scratch PGlite of the process: verifies started together each see their own files', async () => {
    const other = scratchModel({ ...p.model.def, name: 'files2' });
    try {
      await seed(undefined, other.model, { seed: 2, counts: plannedCounts(other.model), out: other.out });
      const [a, b] = await Promise.all([verify(undefined, p.model, p.out), verify(undefined, other.model, other.out)]);
      expect(a.violations.map((v) => v.check)).toEqual(['foreign key']);
      expect(b.violations).toEqual([]);
      expect(b.rows).toEqual(a.rows);
    } finally {
      other.cleanup();
    }
  });
});

/** Columns of every type main's issue 9 added, in a CSV and a JSON table each also in PostgreSQL (a PostgreSQL table references them). */
const typed = (name: string, destination: string) => ({
  name,
  count: 25,
  destination,
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: 'int' },
    { name: 'small', type: 'smallint' },
    { name: 'ratio', type: 'real' },
    { name: 'code', type: 'char(6)' },
    { name: 'seen', type: 'timestamp(3)' },
    { name: 'later', type: 'timestamp(0)', nullable: true, generate: { kind: 'after', refs: [{ column: 'seen' }], maxDays: 5 } },
    { name: 'sooner', type: 'timestamptz', generate: { kind: 'before', refs: [{ column: 'seen' }], maxDays: 5 } },
    { name: 'opens', type: 'time' },
    { name: 'closes', type: 'timetz(0)' },
    { name: 'blob', type: 'bytea', nullable: true, nullRate: 0.2, generate: { kind: 'bytes', min: 2, max: 6 } },
    { name: 'doc', type: 'jsonb' },
    { name: 'tags', type: 'text[]' },
    { name: 'counts', type: 'int[]', generate: { kind: 'array', min: 1, max: 4 } },
    { name: 'prices', type: 'decimal(8,2)[]' },
    { name: 'ratings', type: 'enum[]', values: ['PG-13', 'a,b', 'with "quotes"'], generate: { kind: 'array', max: 3, distinct: true } },
  ],
});

for (const backend of backends)
  describe(`verify in SQL on ${backend.name}: every column type compares equal across a table's destinations`, () => {
    let env: Awaited<ReturnType<(typeof backends)[number]['fresh']>>;
    const p = scratchModel({
      name: 'types',
      tables: [
        typed('in_csv', 'csv'),
        typed('in_json', 'json'),
        {
          name: 'links',
          count: 10,
          destination: 'postgres',
          primaryKey: ['id'],
          columns: [
            { name: 'id', type: 'int' },
            { name: 'csv_id', type: 'int', references: { table: 'in_csv', column: 'id' } },
            { name: 'json_id', type: 'int', references: { table: 'in_json', column: 'id' } },
          ],
        },
      ],
    });
    const csv = join(p.out, 'csv/in_csv.csv');
    const json = join(p.out, 'json/in_json.json');
    const originals = new Map<string, string>();
    beforeAll(async () => {
      env = await backend.fresh();
      await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await seed(env.db, p.model, { seed: 5, counts: plannedCounts(p.model), out: p.out, workers: 1 });
      for (const f of [csv, json]) originals.set(f, readFileSync(f, 'utf8'));
    });
    beforeEach(() => originals.forEach((text, f) => writeFileSync(f, text)));
    afterAll(async () => {
      await env.db.close();
      await env.drop();
      p.cleanup();
    });

    it('finds the file copies identical to the tables, and every rule holding in each', async () => {
      const report = await verify(env.db, p.model, p.out);
      expect(report.violations).toEqual([]);
      expect(report.rows.in_csv).toEqual({ postgres: 25, csv: 25 });
      expect(report.rows.in_json).toEqual({ postgres: 25, json: 25 });
      for (const t of ['in_csv', 'in_json']) {
        expect(report.tables[t]!['destinations identical']).toBe(1);
        expect(report.tables[t]!['rule array']).toBe(4); // two array columns, in two destinations
        expect(report.tables[t]!['rule bytes']).toBe(2);
      }
    });

    it('finds a changed value of each new type in the CSV copy, and rules broken there', async () => {
      const rows = parseCsv(originals.get(csv)!);
      const [header] = rows;
      const change = (column: string, value: string) => (rows[2]![header!.indexOf(column)] = value);
      change('later', '2000-01-01T00:00:00');
      change('blob', '\\x00');
      change('counts', '[1,2,3,4,5,6]');
      writeFileSync(csv, rows.map((r) => r.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',')).join('\r\n') + '\r\n');
      const { violations } = await verify(env.db, p.model, p.out);
      const id = rows[2]![0];
      expect(violations.map((v) => `${v.check}: ${v.where}`).sort()).toEqual(
        [
          `destinations identical: csv in_csv key ${id}`,
          `rule after: csv in_csv.later (id=${id})`,
          `rule array: csv in_csv.counts (id=${id})`,
          `rule bytes: csv in_csv.blob (id=${id})`,
        ].sort(),
      );
    });

    it('tells apart padding that matters from padding that does not, a real and a time of day, in the JSON copy', async () => {
      const rows = JSON.parse(originals.get(json)!) as Record<string, unknown>[];
      rows[1]!.code = String(rows[1]!.code).trimEnd(); // char(n): the same value without its padding
      rows[3]!.ratio = Number(rows[3]!.ratio) + 0.5;
      rows[4]!.opens = '23:59:58';
      rows[5]!.tags = [...((rows[5]!.tags as string[]) ?? []), 'extra'];
      writeFileSync(json, JSON.stringify(rows));
      const { violations } = await verify(env.db, p.model, p.out);
      expect(violations.map((v) => v.where).sort()).toEqual([3, 4, 5].map((i) => `json in_json key ${String(rows[i]!.id)}`).sort());
    });
  });
