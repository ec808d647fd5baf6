import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseModel } from '../../src/model/load.ts';
import type { CanonRow } from '../../src/seed/verify/canonical.ts';
import { streamRows } from '../../src/seed/verify/files.ts';

const model = parseModel(
  JSON.stringify({
    name: 'files',
    tables: [
      {
        name: 'notes',
        count: 2,
        destination: 'csv',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int' },
          { name: 'body', type: 'text', nullable: true },
        ],
      },
      {
        name: 'cards',
        count: 2,
        destination: 'json',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int' },
          { name: 'seen', type: 'datetime', nullable: true },
        ],
      },
    ],
  }),
);
const dir = mkdtempSync(join(tmpdir(), 'ecom-verify-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads `text` as the table's file, streamed, as verify and the report do. */
async function read(table: 'notes' | 'cards', text: string) {
  const t = model.table(table);
  const file = join(dir, `${table}.${t.file}`);
  writeFileSync(file, text);
  const rows: CanonRow[] = [];
  const problems: string[] = [];
  let chunks = 0;
  const count = await streamRows(
    file,
    t,
    (check, where, detail) => problems.push(`${check} ${where.replace(dir, '')} ${detail}`),
    (r) => rows.push(r),
    async () => void chunks++,
  );
  return { rows, count, problems, chunks };
}

describe('verify reads CSV files back', () => {
  it('as canonical rows, NULL (empty) apart from "" (quoted empty)', async () => {
    const r = await read('notes', '"id","body"\r\n1,\r\n2,""\r\n');
    expect(r.rows).toEqual([
      ['1', null],
      ['2', ''],
    ]);
    expect(r.problems).toEqual([]);
    expect(r.count).toBe(2);
    expect(r.chunks).toBeGreaterThan(0);
  });

  it('reporting a record of the wrong shape and a file that is not CSV', async () => {
    const shape = await read('notes', '"id","body"\r\n1\r\n');
    expect(shape.problems).toEqual(['csv shape /notes.csv:2 1 fields, expected 2']);
    const syntax = await read('notes', '"id","body"\r\n1,"open\r\n');
    expect(syntax.problems).toEqual(['csv syntax /notes.csv:2 a quote is not closed']);
    const header = await read('notes', '"id","text"\r\n1,x\r\n');
    expect(header).toMatchObject({ rows: [], count: 0, problems: ['csv header /notes.csv:1 header id,text ≠ id,body'] });
  });
});

describe('JSON files read back', () => {
  it('give canonical rows, pretty-printed or compact', async () => {
    const r = await read('cards', '[\n  {"id":1,"seen":"2025-03-08T17:14:43.000+01:00"},\n  {"id":2,"seen":null}\n]\n');
    expect(r).toMatchObject({
      rows: [
        ['1', '2025-03-08T16:14:43.000Z'],
        ['2', null],
      ],
      count: 2,
      problems: [],
    });
    const compact = await read('cards', '[{"id":1,"seen":null},{"id":2,"seen":null}]');
    expect(compact.rows).toEqual([
      ['1', null],
      ['2', null],
    ]);
  });

  it('streamed, name the line of what is wrong', async () => {
    expect((await read('cards', '[\n  {"id":1},\n  {"id":2,}\n]\n')).problems).toEqual([
      expect.stringMatching(/^json syntax \/cards\.json:3 /),
    ]);
    expect((await read('cards', '[\n  {"id":1},\n  [2]\n]')).problems).toEqual(['json shape /cards.json:3 a row must be an object']);
    expect((await read('cards', '{"id":1}')).problems).toEqual(['json syntax /cards.json:1 expected a JSON array of rows ("[")']);
    expect((await read('cards', '[\n  {"id":1},\n')).problems).toEqual([
      'json syntax /cards.json:3 unexpected end of file: the array is not closed',
    ]);
  });
});
