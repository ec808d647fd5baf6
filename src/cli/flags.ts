import { Flags } from '@oclif/core';
import { EcomError } from '../errors.ts';

/** Flags shared by seed and run. */
export const seedFlags = {
  seed: Flags.integer({ description: 'random seed (default: the model\'s "seed", else 42)' }),
  scale: Flags.string({ description: "multiply every table's row count", default: '1' }),
  count: Flags.string({ description: 'row count of one table, e.g. --count users=1000 (repeatable)', multiple: true }),
  out: Flags.string({ description: 'folder for CSV/JSON exports', default: 'exports' }),
  json: Flags.boolean({ description: 'print the summary as JSON and no progress', default: false }),
};

export function parseScale(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new EcomError(`--scale ${text}: must be a positive number, e.g. --scale 10 or --scale 0.5`);
  return n;
}

export function parseCounts(pairs: string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pairs) {
    const m = /^([a-z][a-z0-9_]*)=(\d+)$/.exec(p);
    if (!m || Number(m[2]) < 1) throw new EcomError(`--count ${p}: expected table=N with N ≥ 1, e.g. --count users=1000`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}
