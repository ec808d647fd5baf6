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
});
