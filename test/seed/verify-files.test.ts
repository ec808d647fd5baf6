import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseModel } from '../../src/model/load.ts';
import { readCsv } from '../../src/seed/verify/files.ts';

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
    ],
  }),
);
const dir = mkdtempSync(join(tmpdir(), 'ecom-verify-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(text: string) {
  const file = join(dir, 'notes.csv');
  writeFileSync(file, text);
  const problems: string[] = [];
  const rows = readCsv(file, model.table('notes'), (check, where, detail) => problems.push(`${check} ${where.replace(dir, '')} ${detail}`));
  return { rows, problems };
}

describe('verify reads CSV files back', () => {
  it('as canonical rows, NULL (empty) apart from "" (quoted empty)', () => {
    expect(read('"id","body"\r\n1,\r\n2,""\r\n')).toEqual({
      rows: [
        ['1', null],
        ['2', ''],
      ],
      problems: [],
    });
  });

  it('reporting a record of the wrong shape and a file that is not CSV', () => {
    expect(read('"id","body"\r\n1\r\n').problems).toEqual(['csv shape /notes.csv:2 1 fields, expected 2']);
    expect(read('"id","body"\r\n1,"open\r\n').problems).toEqual([expect.stringMatching(/^csv syntax \/notes.csv Quote Not Closed/)]);
  });
});
