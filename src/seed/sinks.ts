import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Parser } from '@json2csv/plainjs';
import type { BulkLoad } from '../db/bulk-load.ts';
import type { Row, Value } from './engine.ts';

/** Receives a table's rows batch by batch; `finish` flushes. One sink per destination. */
export interface Sink {
  write(rows: Row[]): Promise<void> | void;
  finish(): Promise<void> | void;
}

/** RFC 4180 CSV through @json2csv: header row, CRLF, every string quoted, NULL as an empty field. */
export function csvSink(path: string, columns: string[]): Sink {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let first = true;
  const cell = (v: Value) => (v === null ? null : typeof v === 'bigint' ? v.toString() : typeof v === 'object' ? JSON.stringify(v) : v);
  return {
    write(rows) {
      if (rows.length === 0) return;
      const parser = new Parser({ fields: columns, header: first, eol: '\r\n', withBOM: false });
      const records = rows.map((r) => Object.fromEntries(columns.map((c) => [c, cell(r[c]!)])));
      writeSync(fd, (first ? '' : '\r\n') + parser.parse(records));
      first = false;
    },
    finish() {
      if (first) writeSync(fd, columns.map((c) => `"${c}"`).join(','));
      writeSync(fd, '\r\n');
      closeSync(fd);
    },
  };
}

/** A JSON array of row objects, one object per line. */
export function jsonSink(path: string): Sink {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let first = true;
  const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
  writeSync(fd, '[');
  return {
    write(rows) {
      if (rows.length === 0) return;
      writeSync(fd, (first ? '\n  ' : ',\n  ') + rows.map((r) => JSON.stringify(r, replacer)).join(',\n  '));
      first = false;
    },
    finish() {
      writeSync(fd, first ? ']\n' : '\n]\n');
      closeSync(fd);
    },
  };
}

/** PostgreSQL COPY text format: tab-separated, \N for NULL, backslash escapes. `nulls` are written as NULL. */
export function copyLine(row: Row, columns: string[], nulls?: ReadonlySet<string>): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += '\t';
    const c = columns[i]!;
    line += nulls?.has(c) ? '\\N' : copyField(row[c]!);
  }
  return line + '\n';
}

function copyField(v: Value): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** Rows into a COPY of the load transaction; `nulls` columns are loaded as NULL (second-pass keys). */
export function copySink(tx: BulkLoad, table: string, columns: string[], nulls?: ReadonlySet<string>): Sink {
  const copy = tx.copy(table, columns);
  return {
    async write(rows) {
      let chunk = '';
      for (const r of rows) chunk += copyLine(r, columns, nulls);
      await copy.write(chunk);
    },
    finish: () => copy.finish(),
  };
}
