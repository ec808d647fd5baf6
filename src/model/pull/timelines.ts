import type { Generator, Table } from '../schema.ts';

const DAY = 86_400_000;
/** The fewest and most days one step of a chain of `after` timestamps may take. */
const MIN_STEP = 30;
const MAX_STEP = 365;

type After = Extract<Generator, { kind: 'after' }>;

/**
 * Fits the timestamps that follow one another (a rental after its customer, the customer after
 * its store, its last update after its creation) between the past and the model's "now": each
 * `after` takes at most one step of the window divided by the longest chain, and a timestamp that
 * others follow ends early enough to leave its followers room. Without this, chains of `after`
 * start near "now" and every deeper level piles up against it.
 */
export function fitTimelines(tables: Table[], now: string, past: string): void {
  const end = Date.parse(now);
  const nodes = new Map<string, { generate: Generator; sources: string[]; followers: string[] }>();
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const t of tables)
    for (const c of t.columns) {
      const g = c.generate;
      if (!g || (g.kind !== 'after' && !(g.kind === 'range' && typeof g.min === 'string'))) continue;
      const sources =
        g.kind === 'after'
          ? g.refs.flatMap((r) => {
              if ('from' in r) return [];
              const owner = 'via' in r ? t.columns.find((x) => x.name === r.via)?.references?.table : t.name;
              return owner && byName.has(owner) ? [`${owner}.${r.column}`] : [];
            })
          : [];
      nodes.set(`${t.name}.${c.name}`, { generate: g, sources, followers: [] });
    }
  for (const [key, node] of nodes) for (const s of node.sources) nodes.get(s)?.followers.push(key);

  // levels of `after` below the first timestamp of each chain (the rules give no cycles; a guard all the same)
  const level = new Map<string, number>();
  const levelOf = (key: string, seen: Set<string>): number => {
    if (level.has(key)) return level.get(key)!;
    const node = nodes.get(key);
    if (!node || node.generate.kind !== 'after' || seen.has(key)) return 0;
    seen.add(key);
    const n = 1 + Math.max(0, ...node.sources.map((s) => levelOf(s, seen)));
    level.set(key, n);
    return n;
  };
  const longest = Math.max(0, ...[...nodes.keys()].map((k) => levelOf(k, new Set())));
  if (longest === 0) return;
  const start = Math.min(Date.parse(past), end - (longest + 1) * MIN_STEP * DAY);
  const step = Math.max(MIN_STEP, Math.min(MAX_STEP, Math.floor((end - start) / DAY / (longest + 1))));
  for (const node of nodes.values()) if (node.generate.kind === 'after') node.generate.maxDays = Math.min(node.generate.maxDays, step);

  // days the followers of a timestamp may take after it, at most
  const room = new Map<string, number>();
  const roomOf = (key: string, seen: Set<string>): number => {
    if (room.has(key)) return room.get(key)!;
    if (seen.has(key)) return 0;
    seen.add(key);
    const days = Math.max(0, ...nodes.get(key)!.followers.map((f) => (nodes.get(f)!.generate as After).maxDays + roomOf(f, seen)));
    room.set(key, days);
    return days;
  };
  for (const [key, node] of nodes) {
    const g = node.generate;
    if (g.kind !== 'range' || node.followers.length === 0) continue;
    const latest = end - roomOf(key, new Set()) * DAY;
    g.min = iso(Math.min(Date.parse(g.min as string), start));
    g.max = iso(Math.max(Math.min(Date.parse(g.max as string), latest), Date.parse(g.min) + DAY));
  }
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
