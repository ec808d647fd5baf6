import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { parseCsv } from '../../src/seed/verify/files.ts';
import { backends } from '../helpers/databases.ts';
import { scratchModel } from '../helpers/project.ts';

/** One table per destination, each with a composite unique index and a one-column unique index. */
const table = (name: string, destination: string) => ({
  name,
  count: 30,
  destination,
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: 'int' },
    { name: 'shelf', type: 'int', generate: { kind: 'range', min: 1, max: 3 } },
    { name: 'slot', type: 'int', generate: { kind: 'sequence' } },
    { name: 'label', type: 'varchar(20)', nullable: true, nullRate: 0.3, generate: { kind: 'pattern', pattern: 'L-{row}' } },
  ],
  indexes: [
    { columns: ['shelf', 'slot'], unique: true },
    { columns: ['label'], unique: true },
  ],
});

describe('verify checks every unique index, in every destination', () => {
  const postgres = backends.find((b) => b.name === 'postgres')!;
  let env: Awaited<ReturnType<typeof postgres.fresh>>;
  let p: ReturnType<typeof scratchModel>;
  beforeAll(async () => {
    env = await postgres.fresh();
    p = scratchModel({ name: 'keys', tables: [table('items', 'postgres'), table('sheets', 'csv'), table('docs', 'json')] });
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await seed(env.db, p.model, { seed: 1, counts: plannedCounts(p.model), out: p.out });
  });
  afterAll(async () => {
    await env.db.close();
    await env.drop();
  });

  const violations = async () => (await verify(env.db, p.model, p.out)).violations.map((v) => `${v.check}: ${v.where}`).sort();

  it('passes on seeded data', async () => {
    expect(await violations()).toEqual([]);
  });

  it('finds a duplicate (shelf, slot) and a duplicate label in PostgreSQL, CSV and JSON, and ignores NULL labels', async () => {
    const [first] = await env.db.query<{ shelf: number; slot: number; label: string }>(
      'SELECT * FROM items WHERE label IS NOT NULL AND id >= 5 ORDER BY id LIMIT 1',
    );
    await env.db.query('DROP INDEX items_shelf_slot_key');
    await env.db.query('DROP INDEX items_label_key');
    await env.db.query('UPDATE items SET shelf = $1, slot = $2, label = $3 WHERE id = (SELECT max(id) FROM items)', [
      first!.shelf,
      first!.slot,
      first!.label,
    ]);
    await env.db.query('UPDATE items SET label = NULL WHERE id < 5');

    const csv = join(p.out, 'csv/sheets.csv');
    const records = parseCsv(readFileSync(csv, 'utf8'));
    const source = records.find((r, i) => i > 0 && r[3] !== null)!;
    records.at(-1)!.splice(1, 3, ...source.slice(1));
    const quote = (v: string | null) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);
    writeFileSync(csv, records.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n');

    const json = join(p.out, 'json/docs.json');
    const docs = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>[];
    const doc = docs.find((d) => d.label !== null)!;
    Object.assign(docs.at(-1)!, { shelf: doc.shelf, slot: doc.slot, label: doc.label });
    writeFileSync(json, JSON.stringify(docs));

    expect(await violations()).toEqual(
      [
        `unique index: csv sheets(shelf,slot)=${source[1]},${source[2]}`,
        `unique index: csv sheets.label=${source[3]}`,
        `unique index: json docs(shelf,slot)=${doc.shelf},${doc.slot}`,
        `unique index: json docs.label=${doc.label}`,
        `unique index: postgres items(shelf,slot)=${first!.shelf},${first!.slot}`,
        `unique index: postgres items.label=${first!.label}`,
      ].sort(),
    );
  });
});
