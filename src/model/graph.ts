/** A foreign-key edge: `from` (child table) references `to` (parent table). */
export interface Edge {
  from: string;
  to: string;
  column: string;
  nullable: boolean;
}

export type OrderResult = { ok: true; order: string[]; deferred: Edge[] } | { ok: false; cycle: string[]; edges: Edge[] };

/**
 * Orders tables parents-first (Kahn's algorithm, ties broken by declaration order so the result is
 * deterministic). Self-references never block: rows are filled parents-first inside the table.
 * A cycle is acceptable when dropping its nullable edges breaks it; those edges are returned as
 * `deferred` (loaded as NULL, then updated in a second pass).
 */
export function orderTables(tables: string[], edges: Edge[]): OrderResult {
  const cross = edges.filter((e) => e.from !== e.to);
  const first = kahn(tables, cross);
  if (first.rest.length === 0) return { ok: true, order: first.order, deferred: [] };

  const hard = cross.filter((e) => !e.nullable);
  const second = kahn(tables, hard);
  if (second.rest.length > 0) {
    const cycle = findCycle(second.rest, hard);
    return { ok: false, cycle, edges: hard.filter((e) => cycle.includes(e.from) && cycle.includes(e.to)) };
  }
  const pos = new Map(second.order.map((t, i) => [t, i]));
  const deferred = cross.filter((e) => e.nullable && pos.get(e.to)! > pos.get(e.from)!);
  return { ok: true, order: second.order, deferred };
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
