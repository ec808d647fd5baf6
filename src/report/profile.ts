import type { ResolvedColumn } from '../model/resolve.ts';
import { binRange, type Binning } from './measures.ts';
import type { ColumnProfile, FanOut } from './types.ts';

/**
 * A column's figures as a profiler (SQL or stream) computes them. The fan-out of a foreign key is
 * finished later (fanOutOf), once the parent's number of keys is known: the profilers count, per
 * referenced parent, its children.
 */
export interface ColumnFigures extends Omit<ColumnProfile, 'fanOut'> {
  /** Foreign keys: [children, parents] — how many referenced parents have that many children, ascending. */
  perParent?: [number, number][];
}

export interface TableFigures {
  rows: number;
  columns: ColumnFigures[];
}

export function nullRate(nulls: number, rows: number): number {
  return rows === 0 ? 0 : nulls / rows;
}

export function histogramOf(c: ResolvedColumn, b: Binning, counts: number[]): NonNullable<ColumnProfile['histogram']> {
  return counts.map((count, i) => ({ ...binRange(c, b, i), count }));
}

/** Adds the parents no row references to the per-parent counts of a foreign key. */
export function fanOutOf(parent: string, parents: number, perParent: [number, number][]): FanOut {
  const referenced = perParent.reduce((a, [, n]) => a + n, 0);
  const unreferenced = Math.max(0, parents - referenced);
  const distribution = [...(unreferenced > 0 ? [{ children: 0, parents: unreferenced }] : [])];
  for (const [children, n] of perParent) distribution.push({ children, parents: n });
  const total = unreferenced + referenced;
  return {
    parent,
    parents: total,
    min: distribution[0]?.children ?? 0,
    max: distribution.at(-1)?.children ?? 0,
    mean: total === 0 ? 0 : distribution.reduce((a, d) => a + d.children * d.parents, 0) / total,
    distribution,
  };
}
