import { describe, expect, it } from 'vitest';
import { MicroCache } from '../src/server/micro-cache.ts';

describe('the API micro-cache', () => {
  it('shares one computation between concurrent callers and reuses it within the TTL', async () => {
    const cache = new MicroCache(60_000);
    let runs = 0;
    const compute = async () => ++runs;
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.get('k', compute)));
    expect(results).toEqual(Array(50).fill(1));
    expect(await cache.get('k', compute)).toBe(1);
    expect(await cache.get('other', compute)).toBe(2);
  });

  it('recomputes after the TTL, never caches a failure, and is off with ttl 0', async () => {
    const short = new MicroCache(20);
    let runs = 0;
    await short.get('k', async () => ++runs);
    await new Promise((r) => setTimeout(r, 30));
    expect(await short.get('k', async () => ++runs)).toBe(2);
    await expect(short.get('bad', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await short.get('bad', async () => 'ok')).toBe('ok');
    const off = new MicroCache(0);
    expect([await off.get('k', async () => ++runs), await off.get('k', async () => ++runs)]).toEqual([3, 4]);
  });

  it('keeps at most maxEntries keys', async () => {
    const cache = new MicroCache(60_000, 2);
    let runs = 0;
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => ++runs);
    expect(await cache.get('a', async () => ++runs)).toBe(4); // evicted, recomputed
    expect(await cache.get('c', async () => ++runs)).toBe(3);
  });
});
