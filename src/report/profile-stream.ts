import type { ResolvedColumn, ResolvedTable } from '../model/resolve.ts';
import { streamRows, type FileProblem } from '../seed/verify/files.ts';
import {
  axisValueOf,
  binningOf,
  binOf,
  compareKeys,
  compareText,
  hasHistogram,
  hasTopValues,
  orderKeyOf,
  TOP_VALUES,
  type OrderKey,
} from './measures.ts';
import { histogramOf, nullRate, type ColumnFigures, type TableFigures } from './profile.ts';

/**
 * A file table's profile in one pass over its rows, with the same figures profileTableSql computes.
 * Memory holds no rows: per column, the distinct values (exact distinct counts need them) with their
 * counts where top values or fan-outs are asked for, and 8 bytes per value of histogram columns.
 */
export async function profileFile(file: string, t: ResolvedTable, problem: FileProblem): Promise<TableFigures> {
  const columns = t.columns.map((c) => new ColumnAccumulator(c));
  const rows = await streamRows(file, t, problem, (row) => {
    for (let i = 0; i < columns.length; i++) columns[i]!.add(row[i]!);
  });
  return { rows, columns: columns.map((a) => a.figures(rows)) };
}

class ColumnAccumulator {
  private nonNull = 0;
  /** Distinct values; with counts when top values or a fan-out need them. */
  private readonly counts: Map<string, number> | undefined;
  private readonly seen: Set<string> | undefined;
  private readonly orderKey: ((text: string) => OrderKey) | undefined;
  private min: { key: OrderKey; text: string } | undefined;
  private max: { key: OrderKey; text: string } | undefined;
  private readonly axis: ((text: string) => number) | undefined;
  private axisValues = new Float64Array(0);

  constructor(private readonly c: ResolvedColumn) {
    if (hasTopValues(c) || c.ref) this.counts = new Map();
    else this.seen = new Set();
    this.orderKey = orderKeyOf(c);
    if (hasHistogram(c)) {
      this.axis = axisValueOf(c);
      this.axisValues = new Float64Array(1024);
    }
  }

  add(v: string | null): void {
    if (v === null) return;
    if (this.counts) this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
    else this.seen!.add(v);
    if (this.orderKey) {
      const key = this.orderKey(v);
      if (!this.min || compareKeys(key, this.min.key) < 0) this.min = { key, text: v };
      if (!this.max || compareKeys(key, this.max.key) > 0) this.max = { key, text: v };
    }
    if (this.axis) {
      if (this.nonNull === this.axisValues.length) {
        const grown = new Float64Array(this.axisValues.length * 2);
        grown.set(this.axisValues);
        this.axisValues = grown;
      }
      this.axisValues[this.nonNull] = this.axis(v);
    }
    this.nonNull++;
  }

  figures(rows: number): ColumnFigures {
    const c = this.c;
    const figures: ColumnFigures = {
      rows,
      nulls: rows - this.nonNull,
      nullRate: nullRate(rows - this.nonNull, rows),
      distinct: this.counts?.size ?? this.seen!.size,
      min: this.min?.text ?? null,
      max: this.max?.text ?? null,
    };
    if (this.nonNull === 0) return figures;
    if (this.axis) {
      const b = binningOf(c, this.axis(figures.min!), this.axis(figures.max!));
      const counts = new Array<number>(b.edges.length + 1).fill(0);
      for (let i = 0; i < this.nonNull; i++) counts[binOf(b, this.axisValues[i]!)]!++;
      figures.histogram = histogramOf(c, b, counts);
    }
    if (hasTopValues(c)) {
      const top: [string, number][] = [];
      // a bounded selection rather than sorting every distinct value
      for (const entry of this.counts!) {
        if (top.length === TOP_VALUES && byFrequency(entry, top.at(-1)!) >= 0) continue;
        top.splice(insertionPoint(top, entry), 0, entry);
        if (top.length > TOP_VALUES) top.pop();
      }
      const values = top.map(([value, count]) => ({ value, count }));
      figures.top = { values, others: this.nonNull - values.reduce((a, v) => a + v.count, 0) };
    }
    if (c.ref) {
      const parents = new Map<number, number>();
      for (const n of this.counts!.values()) parents.set(n, (parents.get(n) ?? 0) + 1);
      figures.perParent = [...parents].sort((a, b) => a[0] - b[0]);
    }
    return figures;
  }
}

/** Most frequent first, ties in value order (as ORDER BY n DESC, value COLLATE "C"). */
const byFrequency = (a: [string, number], b: [string, number]) => b[1] - a[1] || compareText(a[0], b[0]);

function insertionPoint(sorted: [string, number][], entry: [string, number]): number {
  let i = sorted.length;
  while (i > 0 && byFrequency(entry, sorted[i - 1]!) < 0) i--;
  return i;
}
