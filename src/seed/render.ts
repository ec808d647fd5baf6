import type { Row, Value } from './engine.ts';

/**
 * Pure renderers: rows → text, with no I/O, so any thread can run them (see batches.ts). A file is
 * `head` + the `body` of each batch in order + `tail`; batches can be cut anywhere and rendered
 * anywhere, the bytes are the same.
 */
export interface TextFormat {
  /** Before the first row. */
  head(columns: string[]): string;
  /** Rows in order; `first` when they start the file. */
  body(rows: Row[], columns: string[], first: boolean): string;
  /** After the last row; `empty` when the file has none. */
  tail(empty: boolean): string;
}

const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/**
 * A CSV field: numbers and booleans bare, strings quoted (quotes doubled), bigints, json values and
 * arrays as quoted text, NULL as an empty field (the bytes @json2csv wrote before: OUTPUT_VERSION holds).
 */
function csvField(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : JSON.stringify(v, replacer);
  return s.includes('"') ? `"${s.replaceAll('"', '""')}"` : `"${s}"`;
}

/** RFC 4180 CSV: header row, CRLF after every record, every string quoted, NULL as an empty field. */
export const csv: TextFormat = {
  head: (columns) => columns.map((c) => `"${c}"`).join(',') + '\r\n',
  body(rows, columns) {
    let text = '';
    for (const r of rows) {
      let line = csvField(r[columns[0]!]);
      for (let i = 1; i < columns.length; i++) line += ',' + csvField(r[columns[i]!]);
      text += line + '\r\n';
    }
    return text;
  },
  tail: () => '',
};

/** A JSON array of row objects, one object per line. */
export const json: TextFormat = {
  head: () => '[',
  body: (rows, _columns, first) => rows.map((r, i) => (first && i === 0 ? '\n  ' : ',\n  ') + JSON.stringify(r, replacer)).join(''),
  tail: (empty) => (empty ? ']\n' : '\n]\n'),
};

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
  const s = typeof v === 'string' ? v : Array.isArray(v) ? arrayLiteral(v) : JSON.stringify(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** COPY text for `COPY … FROM`: no head or tail; `nulls` columns are loaded as NULL (second-pass keys). */
export function copy(nulls: readonly string[] = []): TextFormat {
  const set = nulls.length > 0 ? new Set(nulls) : undefined;
  return {
    head: () => '',
    body(rows, columns) {
      let text = '';
      for (const r of rows) text += copyLine(r, columns, set);
      return text;
    },
    tail: () => '',
  };
}

/** An array as PostgreSQL's array literal, `{a,"b c",NULL}`: elements quoted when they need it. */
function arrayLiteral(values: Value[]): string {
  return `{${values.map(arrayElement).join(',')}}`;
}

function arrayElement(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === '' || /^null$/i.test(s) || /[{}",\\\s]/.test(s) ? `"${s.replace(/[\\"]/g, '\\$&')}"` : s;
}
