import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseModel } from '../../src/model/load.ts';
import type { CanonRow } from '../../src/seed/verify/canonical.ts';
import { readCsv, readJson, streamRows } from '../../src/seed/verify/files.ts';

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

/** Reads `text` as the table's file, whole (as verify does) and streamed (as the report does): both must agree. */
async function read(table: 'notes' | 'cards', text: string) {
  const t = model.table(table);
  const file = join(dir, `${table}.${t.file}`);
  writeFileSync(file, text);
  const problems: string[] = [];
  const problem = (check: string, where: string, detail: string) => problems.push(`${check} ${where.replace(dir, '')} ${detail}`);
  const rows = (t.file === 'csv' ? readCsv : readJson)(file, t, problem);
  const streamed: CanonRow[] = [];
  const streamProblems: string[] = [];
  const count = await streamRows(
    file,
    t,
    (check, where, detail) => streamProblems.push(`${check} ${where.replace(dir, '')} ${detail}`),
    (r) => streamed.push(r),
  );
  return { rows, problems, streamed: { rows: streamed, count, problems: streamProblems } };
}

describe('verify reads CSV files back', () => {
  it('as canonical rows, NULL (empty) apart from "" (quoted empty), whole or streamed', async () => {
    const r = await read('notes', '"id","body"\r\n1,\r\n2,""\r\n');
    expect(r.rows).toEqual([
      ['1', null],
      ['2', ''],
    ]);
    expect(r.problems).toEqual([]);
    expect(r.streamed).toEqual({ rows: r.rows, count: 2, problems: [] });
  });

  it('reporting a record of the wrong shape and a file that is not CSV', async () => {
    const shape = await read('notes', '"id","body"\r\n1\r\n');
    expect(shape.problems).toEqual(['csv shape /notes.csv:2 1 fields, expected 2']);
    expect(shape.streamed.problems).toEqual(shape.problems);
    const syntax = await read('notes', '"id","body"\r\n1,"open\r\n');
    expect(syntax.problems).toEqual([expect.stringMatching(/^csv syntax \/notes.csv Quote Not Closed/)]);
    expect(syntax.streamed.problems).toEqual(['csv syntax /notes.csv:2 a quote is not closed']);
    const header = await read('notes', '"id","text"\r\n1,x\r\n');
    expect(header.problems).toEqual(['csv header /notes.csv:1 header id,text ≠ id,body']);
    expect(header.streamed).toEqual({ rows: [], count: 0, problems: header.problems });
  });
});

describe('JSON files read back', () => {
  it('whole or streamed, give the same canonical rows', async () => {
    const r = await read('cards', '[\n  {"id":1,"seen":"2025-03-08T17:14:43.000Z"},\n  {"id":2,"seen":null}\n]\n');
    expect(r.rows).toEqual([
      ['1', '2025-03-08T17:14:43.000Z'],
      ['2', null],
    ]);
    expect(r.streamed).toEqual({ rows: r.rows, count: 2, problems: [] });
    const compact = await read('cards', '[{"id":1,"seen":null},{"id":2,"seen":null}]');
    expect(compact.streamed.rows).toEqual(compact.rows);
  });

  it('streamed, name the line of what is wrong', async () => {
    expect((await read('cards', '[\n  {"id":1},\n  {"id":2,}\n]\n')).streamed.problems).toEqual([
      expect.stringMatching(/^json syntax \/cards\.json:3 /),
    ]);
    expect((await read('cards', '[\n  {"id":1},\n  [2]\n]')).streamed.problems).toEqual([
      'json shape /cards.json:3 a row must be an object',
    ]);
    expect((await read('cards', '{"id":1}')).streamed.problems).toEqual(['json syntax /cards.json:1 expected a JSON array of rows ("[")']);
    expect((await read('cards', '[\n  {"id":1},\n')).streamed.problems).toEqual([
      'json syntax /cards.json:3 unexpected end of file: the array is not closed',
    ]);
  });
});
