import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/database.ts';
import { dumpDatabase, dumpTablesOf } from '../../src/db/dump.ts';
import { migrate } from '../../src/db/migrate.ts';
import { readCatalog, type CatalogTable } from '../../src/model/pull/catalog.ts';
import { pull, type PullResult } from '../../src/model/pull/pull.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { checksums } from '../helpers/checksums.ts';
import { backends, createPgDatabase } from '../helpers/databases.ts';
import { tempDir } from '../helpers/cleanup.ts';
import { REPO, scratchProject } from '../helpers/project.ts';

/**
 * Public sample schemas loaded with their original DDL (test/fixtures/ddl, each with its source and
 * license), pulled, then run as a model into a fresh database: migrate, seed, verify, dump, restore.
 * What the model can express comes back in the new database; the report names the rest.
 */
const SCHEMAS: { name: string; expected: string[] }[] = [
  // self-reference (employee.reports_to), composite key (playlist_track)
  { name: 'chinook', expected: [] },
  // composite keys (order_details, employee_territories), self-reference (employees.reports_to), bytea, real, smallint
  { name: 'northwind', expected: [] },
  // foreign-key cycle store ↔ staff (NOT NULL both ways), enum with labels like PG-13, domain, arrays, tsvector, inheritance, rules, triggers, views
  {
    name: 'sakila',
    expected: [
      'view actor_info',
      'inheritance child payment_p2007_01',
      'rule payment_insert_p2007_01',
      'film.release_year',
      'film.fulltext',
      'payment.rental_id',
      'actor',
    ],
  },
  // ecom's own: what pull must get right or report (see the file's header)
  {
    name: 'edge_cases',
    expected: [
      'Accounts',
      'accounts.AccountId',
      'accounts.email',
      'accounts.span',
      'accounts.balance',
      'partition measurements_2025',
      'measurements',
      'log_lines',
      'pair_notes.a,b',
      'tickets.total',
      'tickets',
      'view open_tickets',
      'visits.account_id',
      'visits.ticket_id',
    ],
  },
];

const pg = backends.find((b) => b.name === 'postgres')!;
const pglite = backends.find((b) => b.name === 'pglite')!;
const timings: Record<string, string> = {};

async function loadDdl(backend: typeof pg, file: string) {
  const source = await backend.fresh();
  const ddl = readFileSync(join(REPO, 'test/fixtures/ddl', file), 'utf8');
  if (source.url) {
    const r = spawnSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', source.url, '-f', join(REPO, 'test/fixtures/ddl', file)], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  } else await source.db.exec(ddl);
  return source;
}

/** Columns, primary key and single-column foreign keys of a table as the catalog has them. */
function shape(t: CatalogTable) {
  return {
    // timestamp(6) is timestamp: 6 is PostgreSQL's default precision (Prisma writes it out)
    columns: Object.fromEntries(
      t.columns.map((c) => [c.name, `${c.formatted.replace(/^(time\w*)\(6\)/, '$1')}${c.notNull ? ' not null' : ''}`]),
    ),
    primaryKey: t.constraints.find((k) => k.type === 'p')?.columns,
    foreignKeys: t.constraints
      .filter((k) => k.type === 'f')
      .map((k) => `${k.columns.join(',')} → ${k.refTable}(${k.refColumns!.join(',')})`)
      .sort(),
  };
}

async function pipeline(name: string, expected: string[], backend: typeof pg) {
  const source = await loadDdl(backend, `${name}.sql`);
  let result: PullResult;
  try {
    const started = performance.now();
    result = await pull(source.db);
    timings[`${name} on ${backend.name}`] = `${(performance.now() - started).toFixed(0)} ms`;
  } finally {
    await source.db.close();
  }
  const approximated = new Set(result.approximations.map((a) => a.location));
  for (const location of expected) expect(approximated, `${location} in the report`).toContain(location);
  // the model says everything these schemas hold: nothing else is reported
  if (expected.length === 0) expect(result.approximations).toEqual([]);

  const file = join(tempDir('ecom-pulled-'), `${name}.json`);
  writeFileSync(file, JSON.stringify(result.model, null, 2));
  const p = scratchProject(file);
  const target = await backend.fresh();
  const restored = await createPgDatabase();
  try {
    await migrate(target.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    const counts = plannedCounts(p.model);
    await seed(target.db, p.model, { seed: 3, counts, out: p.out });
    expect((await verify(target.db, p.model, p.out)).violations).toEqual([]);
    // pulled again with its rows: the counts are the rows, and the model is as valid
    const again = await pull(target.db);
    expect(Object.fromEntries(again.model.tables.map((t) => [t.name, t.count]))).toEqual(counts);
    // and its ranges span the values found
    for (const t of again.model.tables)
      for (const c of t.columns.filter((c) => c.generate?.kind === 'range' && /^(int|smallint|bigint|decimal|float|real)/.test(c.type))) {
        const [found] = await target.db.query<{ min: number; max: number }>(
          `select min("${c.name}")::float8 as min, max("${c.name}")::float8 as max from "${t.name}"`,
        );
        expect(c.generate, `${t.name}.${c.name}`).toMatchObject({ min: found!.min, max: found!.max });
      }
    // enum labels weighted by how often each occurs
    for (const t of again.model.tables)
      for (const c of t.columns.filter((c) => c.generate?.kind === 'choice' && c.type.startsWith('enum'))) {
        const g = c.generate as { values: string[]; weights?: number[] };
        const found = await target.db.query<{ v: string; n: number }>(
          `select "${c.name}"::text as v, count(*)::int as n from "${t.name}" group by 1`,
        );
        expect(g.weights, `${t.name}.${c.name}`).toEqual(g.values.map((v) => found.find((f) => f.v === v)?.n ?? 0));
      }
    const dump = join(p.root, 'dump.sql');
    await dumpDatabase(target.db, dumpTablesOf(p.model), p.migrationsDir, dump);
    const r = spawnSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', restored.url, '-f', dump], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const back = await connect({ url: restored.url });
    try {
      expect(await checksums(back, p.model)).toEqual(await checksums(target.db, p.model));
    } finally {
      await back.close();
    }

    // the original's types, keys and foreign keys are found again, except where the report says otherwise
    const original = await readCatalog((await source.reopen()) as Database, 'public');
    // names the report says were made snake_case, as the new database has them
    const renamed = new Map(
      result.approximations.flatMap((a) => {
        const m = /^(?:table|column) name "(.*)" is not snake_case$/.exec(a.what);
        return m ? [[m[1]!, /"(.*)"/.exec(a.kept)![1]!] as const] : [];
      }),
    );
    const rename = (text: string) => text.replace(/[A-Za-z_]\w*/g, (n) => renamed.get(n) ?? n);
    const copy = await readCatalog(target.db, 'public');
    for (const t of copy.tables) {
      const o = original.tables.find((x) => x.name === t.name);
      if (!o) continue; // renamed to snake_case, and reported (above)
      const [a, b] = [shape(o), shape(t)];
      for (const [column, type] of Object.entries(a.columns))
        if (!approximated.has(`${t.name}.${column}`)) expect(b.columns[column], `${t.name}.${column}`).toBe(type);
      expect(b.primaryKey, `${t.name} primary key`).toEqual(a.primaryKey);
      const dropped = result.approximations.filter((x) => x.location.startsWith(`${t.name}.`) && /foreign key/.test(x.what));
      expect(b.foreignKeys.length + dropped.length, `${t.name} foreign keys`).toBeGreaterThanOrEqual(a.foreignKeys.length);
      for (const fk of a.foreignKeys.map(rename))
        if (!dropped.some((d) => fk.startsWith(d.location.split('.')[1]!))) expect(b.foreignKeys).toContain(fk);
    }
    expect(copy.tables.map((t) => t.name).sort()).toEqual(result.model.tables.map((t) => t.name).sort());
  } finally {
    await target.db.close();
    await target.drop();
    await source.drop();
  }
}

describe('ecom pull on public sample schemas, then run into a fresh database', () => {
  it.each(SCHEMAS)('$name on PostgreSQL', async ({ name, expected }) => {
    await pipeline(name, expected, pg);
  });

  it.each(SCHEMAS)('$name on PGlite', async ({ name, expected }) => {
    await pipeline(name, expected, pglite);
  });

  it("foreign keys declared on partitions are the partitioned table's, with ref generators, and reported", async () => {
    const source = await loadDdl(pglite, 'edge_cases.sql');
    try {
      const { model, approximations } = await pull(source.db);
      const visits = model.tables.find((t) => t.name === 'visits')!;
      const column = (name: string) => visits.columns.find((c) => c.name === name)!;
      expect(column('account_id')).toMatchObject({ references: { table: 'accounts', column: 'account_id', onDelete: 'Cascade' } });
      expect(column('account_id').generate).toMatchObject({ kind: 'ref' });
      expect(column('ticket_id')).toMatchObject({ references: { table: 'tickets', column: 'id' }, generate: { kind: 'ref' } });
      expect(approximations).toContainEqual({
        location: 'visits.ticket_id',
        what: 'foreign key to tickets declared on 1 of 2 partitions (visits_h2), not on the table',
        kept: 'a foreign key of the table: every row references a row',
      });
    } finally {
      await source.db.close();
      await source.drop();
    }
  });

  it('timings', () => {
    console.log('pull timings:', timings);
  });
});
