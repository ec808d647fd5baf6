import type { Engine, Row } from './engine.ts';
import { copy, csv, json, type TextFormat } from './render.ts';

/** How one destination of a batch is rendered: structured-cloneable, so a worker thread can receive it. */
export interface Output {
  format: 'copy' | 'csv' | 'json';
  columns: string[];
  /** COPY only: columns written as NULL (keys that close a cycle, set in a second pass). */
  nulls?: string[];
}

/** Rows [from, to) of one table, rendered once per output. `first`: row `from` starts its files. */
export interface Batch {
  table: string;
  from: number;
  to: number;
  first: boolean;
  outputs: Output[];
}

export function formatOf(o: Output): TextFormat {
  return o.format === 'csv' ? csv : o.format === 'json' ? json : copy(o.nulls);
}

/** Splits rows [start, end) of a table into batches of at most `size` rows. */
export function batchesOf(table: string, start: number, end: number, size: number, outputs: Output[]): Batch[] {
  const out: Batch[] = [];
  for (let from = start; from < end; from += size)
    out.push({ table, from, to: Math.min(end, from + size), first: from === start, outputs });
  return out;
}

/** Generates a batch's rows and renders them for each output: pure, the same text in any thread. */
export function renderBatch(engine: Engine, b: Batch): string[] {
  const source = engine.source(b.table);
  // only the columns some output shows (the second pass needs just keys), in model order
  const shown = new Set(b.outputs.flatMap((o) => o.columns.filter((c) => !o.nulls?.includes(c))));
  const columns = source.table.columns.map((c) => c.name).filter((c) => shown.has(c));
  const rows: Row[] = [];
  for (let i = b.from; i < b.to; i++) {
    const row: Row = {};
    for (const c of columns) row[c] = source.value(i, c);
    rows.push(row);
  }
  return b.outputs.map((o) => formatOf(o).body(rows, o.columns, b.first));
}
