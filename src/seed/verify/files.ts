import { createReadStream } from 'node:fs';
import type { Options as CsvOptions } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import type { ResolvedTable } from '../../model/resolve.ts';
import { canonical, type CanonRow } from './canonical.ts';
import { CsvRecordError, CsvRecordSplitter } from './csv-records.ts';
import { JsonArrayError, JsonArraySplitter } from './json-array.ts';

/** Reports what makes a file unreadable: check, where, detail. */
export type FileProblem = (check: string, where: string, detail: string) => void;

/**
 * RFC 4180 records. An unquoted empty field is NULL; a quoted empty field ("") is the empty
 * string, which is how ecom's CSV export tells them apart.
 */
const CSV_OPTIONS: CsvOptions = {
  cast: (value, context) => (value === '' && !context.quoting ? null : value),
  relax_column_count: true, // a record with the wrong number of fields is reported, not fatal
};

export function parseCsv(text: string): (string | null)[][] {
  return parse(text, CSV_OPTIONS) as (string | null)[][];
}

/** The problem with a CSV header row, if any: it must name the table's columns in order. */
function headerProblem(header: (string | null)[] | undefined, t: ResolvedTable): string | undefined {
  const got = (header ?? []).map((h) => h ?? '').join(',');
  const expected = t.columns.map((c) => c.name).join(',');
  return got === expected ? undefined : `header ${got} ≠ ${expected}`;
}

const shapeProblem = (fields: number, t: ResolvedTable) =>
  fields === t.columns.length ? undefined : `${fields} fields, expected ${t.columns.length}`;

const canonicalRecord = (t: ResolvedTable, rec: (string | null)[]): CanonRow => t.columns.map((c, k) => canonical(c, rec[k]));
const canonicalObject = (t: ResolvedTable, r: Record<string, unknown>): CanonRow => t.columns.map((c) => canonical(c, r[c.name]));

/**
 * Reads a table's CSV or JSON export one row at a time, in memory that does not grow with the file,
 * calling `onRow` (when given) with each row in canonical form, and `afterChunk` (awaited) after the
 * rows of each chunk read, to pass them on. Returns the number of rows.
 * Problems go to `problem`; reading stops at the first that makes the rest unreadable.
 */
export async function streamRows(
  file: string,
  t: ResolvedTable,
  problem: FileProblem,
  onRow?: (row: CanonRow) => void,
  afterChunk?: () => Promise<void>,
): Promise<number> {
  return t.file === 'csv' ? streamCsv(file, t, problem, onRow, afterChunk) : streamJson(file, t, problem, onRow, afterChunk);
}

async function streamCsv(
  file: string,
  t: ResolvedTable,
  problem: FileProblem,
  onRow?: (row: CanonRow) => void,
  afterChunk?: () => Promise<void>,
): Promise<number> {
  const splitter = new CsvRecordSplitter();
  let records = 0; // the header included
  const stop = new Error('a wrong header: the rest is not read');
  const record = (rec: (string | null)[], line: number) => {
    if (records++ === 0) {
      const header = headerProblem(rec, t);
      if (header) {
        problem('csv header', `${file}:1`, header);
        throw stop;
      }
      return;
    }
    const shape = shapeProblem(rec.length, t);
    if (shape) problem('csv shape', `${file}:${line}`, shape);
    onRow?.(canonicalRecord(t, rec));
  };
  try {
    await readChunks(file, (chunk) => splitter.push(chunk, record), afterChunk);
    splitter.end(record);
    await afterChunk?.();
  } catch (e) {
    if (e === stop) return 0;
    if (!(e instanceof CsvRecordError)) throw e;
    problem('csv syntax', `${file}:${e.line}`, e.message);
  }
  return Math.max(0, records - 1);
}

async function streamJson(
  file: string,
  t: ResolvedTable,
  problem: FileProblem,
  onRow?: (row: CanonRow) => void,
  afterChunk?: () => Promise<void>,
): Promise<number> {
  const splitter = new JsonArraySplitter();
  let rows = 0;
  const element = (text: string, line: number) => {
    let r: unknown;
    try {
      r = JSON.parse(text);
    } catch (e) {
      throw new JsonArrayError((e as Error).message, line);
    }
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new JsonArrayError('a row must be an object', line, 'json shape');
    rows++;
    onRow?.(canonicalObject(t, r as Record<string, unknown>));
  };
  try {
    await readChunks(file, (chunk) => splitter.push(chunk, element), afterChunk);
    splitter.end();
  } catch (e) {
    if (!(e instanceof JsonArrayError)) throw e;
    problem(e.check, `${file}:${e.line}`, e.message);
  }
  return rows;
}

/**
 * Feeds a file in 64 KB chunks, awaiting `afterChunk` after each; the stream is closed however it ends.
 * Small on purpose: a chunk, the fields sliced from it and its COPY text then die young in V8 (1 MB
 * chunks outlived several scavenges and were promoted: more CPU and peak RSS).
 */
async function readChunks(file: string, push: (chunk: string) => void, afterChunk?: () => Promise<void>): Promise<void> {
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      push(chunk);
      await afterChunk?.();
    }
  } finally {
    input.destroy();
  }
}
