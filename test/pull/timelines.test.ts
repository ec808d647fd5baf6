import { describe, expect, it } from 'vitest';
import { fitTimelines } from '../../src/model/pull/timelines.ts';
import type { Table } from '../../src/model/schema.ts';

const NOW = '2026-01-01T00:00:00Z';
const PAST = '2023-01-01T00:00:00Z';
const DAY = 86_400_000;

/** A chain of `depth` tables, each after its parent's timestamp; the first in the past. */
function chain(depth: number): Table[] {
  return Array.from({ length: depth + 1 }, (_, i) => ({
    name: `t${i}`,
    count: 10,
    destination: 'postgres',
    primaryKey: ['id'],
    columns: [
      { name: 'id', type: 'int' },
      ...(i > 0 ? [{ name: 'parent_id', type: 'int', references: { table: `t${i - 1}`, column: 'id' } }] : []),
      {
        name: 'at',
        type: 'timestamptz',
        generate:
          i === 0
            ? { kind: 'range', min: PAST, max: '2025-12-31T00:00:00Z' }
            : { kind: 'after', refs: [{ via: 'parent_id', column: 'at' }], maxDays: 365 },
      },
      ...(i === depth
        ? [{ name: 'closed_at', type: 'timestamptz', generate: { kind: 'after', refs: [{ column: 'at' }], maxDays: 30 } }]
        : []),
    ],
  })) as Table[];
}

describe('timestamps that follow one another fit between the past and now', () => {
  it.each([1, 3, 8, 40])('a chain %i deep: the root ends early enough that the deepest level stays before now', (depth) => {
    const tables = chain(depth);
    fitTimelines(tables, NOW, PAST);
    const root = tables[0]!.columns.find((c) => c.name === 'at')!.generate as { min: string; max: string };
    const steps = tables.slice(1).map((t) => (t.columns.find((c) => c.name === 'at')!.generate as { maxDays: number }).maxDays);
    const closing = (tables.at(-1)!.columns.find((c) => c.name === 'closed_at')!.generate as { maxDays: number }).maxDays;
    // the latest value any level can reach is the root's max plus every step: not past now
    expect(Date.parse(root.max) + (steps.reduce((a, b) => a + b, 0) + closing) * DAY).toBeLessThanOrEqual(Date.parse(NOW));
    // and the root keeps a window of its own, at least a month, starting no later than the past
    expect(Date.parse(root.max) - Date.parse(root.min)).toBeGreaterThanOrEqual(30 * DAY);
    expect(Date.parse(root.min)).toBeLessThanOrEqual(Date.parse(PAST));
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...steps)).toBeLessThanOrEqual(365);
    expect(closing).toBe(30);
  });

  it('leaves timestamps that nothing follows as they are', () => {
    const tables = chain(0);
    tables[0]!.columns = tables[0]!.columns.filter((c) => c.name !== 'closed_at');
    fitTimelines(tables, NOW, PAST);
    expect(tables[0]!.columns.find((c) => c.name === 'at')!.generate).toEqual({ kind: 'range', min: PAST, max: '2025-12-31T00:00:00Z' });
  });
});
