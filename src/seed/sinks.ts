import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Parser } from '@json2csv/plainjs';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/connection.ts';
import { quoteIdent } from '../db/sql.ts';
import type { Row, Value } from './engine.ts';

/** Receives a table's rows batch by batch; `finish` flushes. One sink per destination. */
export interface Sink {
  write(rows: Row[]): Promise<void> | void;
  finish(): Promise<void> | void;
}

/** Plain JSON value of a generated value: bigints as strings (JSON numbers would lose digits). */
export function jsonValue(v: Value): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
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

/** One database transaction that table loads run in. */
export interface LoadTransaction {
  exec(sql: string): Promise<void>;
  /** A COPY into `table` inside this transaction; `nulls` columns are loaded as NULL. */
  copy(table: string, columns: string[], nulls?: ReadonlySet<string>): Sink;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export async function beginLoad(db: Database): Promise<LoadTransaction> {
  return db.kind === 'postgres' ? beginPostgres(await db.pool.connect()) : beginPglite(db);
}

async function beginPostgres(client: PoolClient): Promise<LoadTransaction> {
  let broken: Error | undefined;
  let copying = false;
  client.on('error', (e) => (broken = e));
  await client.query('BEGIN');
  return {
    exec: async (sql) => void (await client.query(sql)),
    copy(table, columns, nulls) {
      const stream = client.query(copyFrom(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`));
      copying = true;
      let failed: unknown;
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', (e) => {
          failed = e;
          reject(e);
        });
      });
      done.catch(() => {}); // surfaced by write() and finish()
      return {
        async write(rows) {
          if (failed) throw failed;
          let chunk = '';
          for (const r of rows) chunk += copyLine(r, columns, nulls);
          if (!stream.write(chunk)) await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), done]);
        },
        async finish() {
          stream.end();
          await done;
          copying = false;
        },
      };
    },
    commit: async () => {
      await client.query('COMMIT');
      client.release();
    },
    async rollback() {
      // Mid-COPY the connection cannot take a ROLLBACK; closing it aborts the transaction just the same.
      if (copying || broken) return client.release(broken ?? new Error('aborted during COPY'));
      await client.query('ROLLBACK').catch(() => {});
      client.release();
    },
  };
}

async function beginPglite(db: Extract<Database, { kind: 'pglite' }>): Promise<LoadTransaction> {
  const pg = db.pglite;
  await pg.exec('BEGIN');
  return {
    exec: async (sql) => void (await pg.exec(sql)),
    copy(table, columns, nulls) {
      const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '/dev/blob'`;
      return {
        async write(rows) {
          let chunk = '';
          for (const r of rows) chunk += copyLine(r, columns, nulls);
          await pg.query(sql, [], { blob: new Blob([chunk]) });
        },
        finish() {},
      };
    },
    commit: async () => void (await pg.exec('COMMIT')),
    rollback: async () => void (await pg.exec('ROLLBACK').catch(() => {})),
  };
}
