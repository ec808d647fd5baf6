import { describe, expect, it } from 'vitest';
import { parseModel } from '../../../src/model/load.ts';
import { Engine } from '../../../src/seed/engine.ts';

const ROWS = 20_000;
const model = parseModel(
  JSON.stringify({
    name: 'ids',
    tables: [{ name: 'things', count: ROWS, destination: 'csv', primaryKey: ['id'], columns: [{ name: 'id', type: 'uuid' }] }],
  }),
);
const uuids = (seed: number) => {
  const source = new Engine(model, { seed, counts: { things: ROWS } }).source('things');
  return Array.from({ length: ROWS }, (_, i) => source.value(i, 'id') as string);
};
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid generator', () => {
  const ids = uuids(1);

  it('gives valid, distinct version-4 UUIDs, the same for the same seed', () => {
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ROWS);
    expect(uuids(1)).toEqual(ids);
    expect(uuids(2)[0]).not.toBe(ids[0]);
  });

  it('draws all 122 random bits: every one of them is set in about half of the UUIDs', () => {
    const bits = (id: string) => [
      ...BigInt(`0x${id.replace(/-/g, '')}`)
        .toString(2)
        .padStart(128, '0'),
    ];
    const ones = new Array<number>(128).fill(0);
    for (const id of ids) bits(id).forEach((b, i) => (ones[i]! += Number(b)));
    const fixed = new Set([48, 49, 50, 51, 64, 65]); // version 0100, variant 10
    const shares = ones.map((n) => n / ROWS).filter((_, i) => !fixed.has(i));
    expect(shares).toHaveLength(122);
    // 20,000 fair coins: a share outside 0.47–0.53 is 8.5 standard deviations away
    for (const s of shares) {
      expect(s).toBeGreaterThan(0.47);
      expect(s).toBeLessThan(0.53);
    }
    expect(new Set(ids.map((id) => id.slice(-4))).size).toBeGreaterThan(ROWS / 2);
  });
});
