import type { Table } from './schema.ts';

/** A foreign-key edge: `from` (child table) references `to` (parent table). */
export interface Edge {
  from: string;
  to: string;
  column: string;
  nullable: boolean;
  /** The column is part of `from`'s primary key: it can never be loaded as NULL. */
  primaryKey?: boolean;
  /** The column alone is unique: a one-to-one key (a store's manager). */
  unique?: boolean;
}

/** The edges of a table's single-column foreign keys. */
export function foreignKeyEdges(table: Table): Edge[] {
  const uniqueAlone = (c: string) =>
    (table.primaryKey.length === 1 && table.primaryKey[0] === c) ||
    table.columns.some((x) => x.name === c && x.unique) ||
    (table.indexes ?? []).some((ix) => ix.unique && ix.columns.length === 1 && ix.columns[0] === c);
  return table.columns.flatMap((c) =>
    c.references
      ? [
          {
            from: table.name,
            to: c.references.table,
            column: c.name,
            nullable: c.nullable === true,
            ...(table.primaryKey.includes(c.name) ? { primaryKey: true } : {}),
            ...(uniqueAlone(c.name) ? { unique: true } : {}),
          },
        ]
      : [],
  );
}

export type OrderResult = { ok: true; order: string[]; deferred: Edge[] } | { ok: false; cycle: string[]; edges: Edge[] };

/**
 * Orders tables parents-first (Kahn's algorithm, ties broken by declaration order so the result is
 * deterministic). Self-references never block: rows are filled parents-first inside the table.
 * A cycle is broken by deferring keys, returned as `deferred` (loaded as NULL, then updated in a
 * second pass): its nullable keys first; a cycle of NOT NULL keys only then gives up one NOT NULL
 * key (dropped for the load, restored after the second pass). See `breakingKey` for which.
 * Fails only for a cycle whose every key is part of its table's primary key.
 */
export function orderTables(tables: string[], edges: Edge[]): OrderResult {
  const cross = edges.filter((e) => e.from !== e.to);
  const first = kahn(tables, cross);
  if (first.rest.length === 0) return { ok: true, order: first.order, deferred: [] };

  const hard = cross.filter((e) => !e.nullable);
  const given = new Set<Edge>();
  for (;;) {
    const kept = hard.filter((e) => !given.has(e));
    const second = kahn(tables, kept);
    if (second.rest.length === 0) {
      const pos = new Map(second.order.map((t, i) => [t, i]));
      // a key given up for one cycle may not be needed once others are: only keys pointing forward are deferred
      const deferred = cross.filter((e) => (e.nullable || given.has(e)) && pos.get(e.to)! > pos.get(e.from)!);
      return { ok: true, order: second.order, deferred };
    }
    const cycle = findCycle(second.rest, kept);
    const inCycle = kept.filter((e) => cycle.includes(e.from) && cycle.includes(e.to));
    const key = breakingKey(cycle, inCycle, tables);
    if (!key) return { ok: false, cycle, edges: inCycle };
    given.add(key);
  }
}

/**
 * The NOT NULL key that breaks `cycle`: one of the cycle's own edges that is not a primary-key
 * column; a one-to-one key first (a store's manager: the store is the parent of its staff, not one
 * of many rows of a staff member), then the key of the table declared first (which then loads
 * first, as a model listing its tables parents-first would), then the first such key in `edges`
 * order (the model's column order). One key per cycle found, so a simple cycle costs one key;
 * intertwined cycles are broken greedily, which may cost more than the fewest possible.
 */
function breakingKey(cycle: string[], edges: Edge[], tables: string[]): Edge | undefined {
  const onCycle = edges.filter((e) => !e.primaryKey && cycle[(cycle.indexOf(e.from) + 1) % cycle.length] === e.to);
  const rank = (e: Edge) => (e.unique ? 0 : tables.length) + tables.indexOf(e.from);
  return onCycle.reduce<Edge | undefined>((best, e) => (!best || rank(e) < rank(best) ? e : best), undefined);
}

function kahn(tables: string[], edges: Edge[]): { order: string[]; rest: string[] } {
  const pending = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges) pending.get(e.from)?.add(e.to);
  const order: string[] = [];
  for (;;) {
    const next = tables.find((t) => pending.has(t) && [...pending.get(t)!].every((p) => !pending.has(p)));
    if (!next) break;
    order.push(next);
    pending.delete(next);
  }
  return { order, rest: [...pending.keys()] };
}

function findCycle(nodes: string[], edges: Edge[]): string[] {
  const inSet = new Set(nodes);
  const next = (t: string) => edges.filter((e) => e.from === t && inSet.has(e.to)).map((e) => e.to);
  // Every remaining node has an outgoing edge inside the set, so walking must revisit a node.
  const path: string[] = [];
  let cur = nodes[0]!;
  while (!path.includes(cur)) {
    path.push(cur);
    cur = next(cur)[0]!;
  }
  return path.slice(path.indexOf(cur));
}
