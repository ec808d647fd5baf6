import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ResolvedTable } from '../../model/resolve.ts';
import { canonical, type CanonRow } from './canonical.ts';

/** Reports what makes a file unreadable: check, where, detail. */
export type FileProblem = (check: string, where: string, detail: string) => void;

/**
 * RFC 4180 records. An unquoted empty field is NULL; a quoted empty field ("") is the empty
 * string, which is how ecom's CSV export tells them apart.
 */
export function parseCsv(text: string): (string | null)[][] {
  return parse(text, {
    cast: (value, context) => (value === '' && !context.quoting ? null : value),
    relax_column_count: true, // a record with the wrong number of fields is reported, not fatal
  }) as (string | null)[][];
}

export function readCsv(file: string, t: ResolvedTable, problem: FileProblem): CanonRow[] {
  let records: (string | null)[][];
  try {
    records = parseCsv(readFileSync(file, 'utf8'));
  } catch (e) {
    problem('csv syntax', file, (e as Error).message);
    return [];
  }
  const header = records.shift()?.map((h) => h ?? '') ?? [];
  const expected = t.columns.map((c) => c.name);
  if (header.join(',') !== expected.join(',')) {
    problem('csv header', `${file}:1`, `header ${header.join(',')} ≠ ${expected.join(',')}`);
    return [];
  }
  return records.map((rec, i) => {
    if (rec.length !== expected.length) problem('csv shape', `${file}:${i + 2}`, `${rec.length} fields, expected ${expected.length}`);
    return t.columns.map((c, k) => canonical(c, rec[k]));
  });
}

export function readJson(file: string, t: ResolvedTable, problem: FileProblem): CanonRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problem('json syntax', file, (e as Error).message);
    return [];
  }
  if (!Array.isArray(parsed)) {
    problem('json shape', file, 'not an array of rows');
    return [];
  }
  return parsed.map((r: Record<string, unknown>) => t.columns.map((c) => canonical(c, r[c.name])));
}
