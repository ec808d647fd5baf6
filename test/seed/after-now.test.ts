import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/model/load.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { tempDir } from '../helpers/cleanup.ts';

/** Rentals that start from a week before the model's "now" to a week after it; each returned within 30 days. */
const model = {
  name: 'after_now',
  now: '2025-01-01T00:00:00Z',
  tables: [
    {
      name: 'rentals',
      count: 400,
      destination: 'json',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', generate: { kind: 'sequence' } },
        { name: 'rented_at', type: 'timestamp(0)', generate: { kind: 'range', min: '2024-12-25T00:00:00Z', max: '2025-01-08T00:00:00Z' } },
        { name: 'returned_at', type: 'timestamp(0)', generate: { kind: 'after', refs: [{ column: 'rented_at' }], maxDays: 30 } },
      ],
    },
  ],
};

describe('after near the model\'s "now"', () => {
  it('stays at or before "now" when the window reaches it, and never collapses onto one instant', async () => {
    const out = tempDir('ecom-after-now-');
    const m = parseModel(JSON.stringify(model), 'after_now.json');
    await seed(undefined, m, { seed: 4, counts: plannedCounts(m), out });
    expect((await verify(undefined, m, out)).violations).toEqual([]);
    const rows = JSON.parse(readFileSync(join(out, 'json/rentals.json'), 'utf8')) as { rented_at: string; returned_at: string }[];
    const now = Date.parse('2025-01-01T00:00:00Z');
    const at = (s: string) => Date.parse(s.endsWith('Z') ? s : `${s}Z`);
    const before = rows.filter((r) => at(r.rented_at) < now - 60_000);
    const after = rows.filter((r) => at(r.rented_at) >= now);
    expect(before.length).toBeGreaterThan(100);
    expect(after.length).toBeGreaterThan(100);
    for (const r of before) expect(at(r.returned_at), r.returned_at).toBeLessThanOrEqual(now);
    // rented at or after "now": returned later, spread over the 30 days, not all one minute after the rental
    const gaps = after.map((r) => at(r.returned_at) - at(r.rented_at));
    expect(gaps.filter((g) => g === 60_000).length).toBeLessThan(3);
    expect(Math.max(...gaps)).toBeGreaterThan(20 * 86_400_000);
    expect(new Set(rows.map((r) => r.returned_at)).size).toBeGreaterThan(390);
  });
});
