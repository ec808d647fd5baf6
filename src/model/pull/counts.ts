import { orderTables } from '../graph.ts';
import type { Table } from '../schema.ts';

/** Rows of a table that nothing references and that references nothing; each level of foreign keys below multiplies it. */
const ROOT_ROWS = 20;
const GROWTH = 2;
const MAX_ROWS = 1000;

/**
 * Row counts: a table's current rows where it has any; otherwise a count that follows the schema's
 * shape: parents fewer than children (by depth in the foreign-key graph), join tables sized by their
 * parents, and never more than a one-to-one key or a key of two parents allows.
 */
export function inferCounts(tables: Table[], rows: Record<string, number>): Record<string, number> {
  const edges = tables.flatMap((t) =>
    t.columns
      .filter((c) => c.references && c.references.table !== t.name)
      .map((c) => ({ from: t.name, to: c.references!.table, column: c.name, nullable: c.nullable === true })),
  );
  const result = orderTables(
    tables.map((t) => t.name),
    edges,
  );
  const order = result.ok ? result.order : tables.map((t) => t.name);
  const deferred = new Set(result.ok ? result.deferred.map((e) => `${e.from}.${e.column}`) : []);
  const byName = new Map(tables.map((t) => [t.name, t]));
  const depth = new Map<string, number>();
  const counts: Record<string, number> = {};
  for (const name of order) {
    const t = byName.get(name)!;
    const parents = t.columns.filter((c) => c.references && c.references.table !== name && !deferred.has(`${name}.${c.name}`));
    depth.set(name, Math.max(0, ...parents.map((c) => (depth.get(c.references!.table) ?? 0) + 1)));
    const parentRows = parents.map((c) => counts[c.references!.table] ?? ROOT_ROWS);
    const pkParents = t.primaryKey.filter((k) => parents.some((c) => c.name === k));
    let n: number;
    if (rows[name]! > 0) n = rows[name]!;
    else if (pkParents.length >= 2 && pkParents.length === t.primaryKey.length)
      n = Math.min(MAX_ROWS, 2 * Math.max(...parentRows)); // a join table: a few links per parent
    else n = Math.min(MAX_ROWS, Math.round(ROOT_ROWS * GROWTH ** depth.get(name)!));
    counts[name] = Math.max(1, Math.min(n, capOf(t, counts)));
  }
  return counts;
}

/** The most rows the table's keys allow given its parents' counts. */
function capOf(t: Table, counts: Record<string, number>): number {
  let cap = Infinity;
  const unique = (c: string) => (t.primaryKey.length === 1 && t.primaryKey[0] === c) || t.columns.find((x) => x.name === c)?.unique;
  for (const c of t.columns) {
    if (!unique(c.name)) continue;
    if (c.references && counts[c.references.table] !== undefined) cap = Math.min(cap, counts[c.references.table]!);
    if (c.type === 'boolean') cap = Math.min(cap, 2);
    if (c.type === 'enum' && c.values) cap = Math.min(cap, c.values.length);
  }
  for (const key of [t.primaryKey, ...(t.indexes ?? []).filter((ix) => ix.unique).map((ix) => ix.columns)]) {
    const parents = key.map((k) => t.columns.find((c) => c.name === k)!);
    if (key.length > 1 && parents.every((c) => c.references && counts[c.references.table] !== undefined))
      cap = Math.min(
        cap,
        parents.reduce((p, c) => p * counts[c.references!.table]!, 1),
      );
  }
  return cap;
}
