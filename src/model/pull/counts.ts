import { foreignKeyEdges, orderTables } from '../graph.ts';
import type { Table } from '../schema.ts';

/** Rows of a table that references nothing; each level of foreign keys below it multiplies them by GROWTH. */
const ROOT_ROWS = 20;
/** Rows of a table nothing references (orders, payments); each level of tables above it divides them by GROWTH. */
const MAX_ROWS = 1000;
const GROWTH = 2.5;

/**
 * Row counts: a table's current rows where it has any; otherwise a count that follows the schema's
 * shape, the smaller of two estimates: grown from the roots by depth (a table GROWTH times its
 * parents) and shrunk from the leaves by height (a lookup referenced through several levels is
 * small), and a lookup referenced by several tables smaller still. Every parent has fewer rows
 * than its children, except a lookup's own parents (a store's address). Join tables are sized by their
 * parents; no count exceeds what a one-to-one key or a key of two parents allows.
 */
export function inferCounts(tables: Table[], rows: Record<string, number>): Record<string, number> {
  const result = orderTables(
    tables.map((t) => t.name),
    tables.flatMap(foreignKeyEdges),
  );
  const order = result.ok ? result.order : tables.map((t) => t.name);
  const deferred = new Set(result.ok ? result.deferred.map((e) => `${e.from}.${e.column}`) : []);
  const byName = new Map(tables.map((t) => [t.name, t]));
  const depth = new Map<string, number>();
  const height = new Map<string, number>();
  const parentsOf = (name: string) =>
    byName.get(name)!.columns.filter((c) => c.references && c.references.table !== name && !deferred.has(`${name}.${c.name}`));
  for (const name of order.toReversed()) {
    height.set(name, height.get(name) ?? 0);
    for (const c of parentsOf(name)) height.set(c.references!.table, Math.max(height.get(c.references!.table) ?? 0, height.get(name)! + 1));
  }
  // the tables that reference each table (by a key loaded with the rows)
  const referrers = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const name of order) for (const c of parentsOf(name)) referrers.get(c.references!.table)!.add(name);
  const counts: Record<string, number> = {};
  for (const name of order) {
    const t = byName.get(name)!;
    const parents = parentsOf(name);
    depth.set(name, Math.max(0, ...parents.map((c) => (depth.get(c.references!.table) ?? 0) + 1)));
    const parentRows = parents.map((c) => counts[c.references!.table] ?? ROOT_ROWS);
    const pkParents = t.primaryKey.filter((k) => parents.some((c) => c.name === k));
    let n: number;
    if (rows[name]! > 0) n = rows[name]!;
    else if (pkParents.length >= 2 && pkParents.length === t.primaryKey.length)
      n = Math.min(MAX_ROWS, 2 * Math.max(...parentRows)); // a join table: a few links per parent
    else
      n = Math.round(
        Math.min(MAX_ROWS, ROOT_ROWS * GROWTH ** depth.get(name)!, MAX_ROWS / GROWTH ** height.get(name)!) /
          lookupShrink(t, referrers.get(name)!),
      );
    counts[name] = Math.max(1, Math.min(n, capOf(t, counts)));
  }
  return counts;
}

/**
 * A lookup (a store, a branch, a warehouse) holds little but keys and timestamps and is referenced
 * by several tables: a few rows, not as many as its height gives. Each table referencing it divides
 * its count by GROWTH; other tables keep theirs.
 */
function lookupShrink(t: Table, referrers: Set<string>): number {
  const content = t.columns.filter(
    (c) => !t.primaryKey.includes(c.name) && !c.references && !/^(date|datetime|timestamp|timestamptz|time|timetz)\b/.test(c.type),
  );
  return referrers.size >= 2 && content.length <= 1 ? GROWTH ** referrers.size : 1;
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
