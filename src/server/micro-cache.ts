/**
 * A per-process cache of promises for a short time (`ttlMs`), keyed by the query. Concurrent
 * requests for the same figures share one database query, and for `ttlMs` later ones reuse it:
 * under load an exact count or an aggregate runs about once per second instead of once per request.
 * ttlMs = 0 disables it.
 */
export class MicroCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return compute();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => this.entries.delete(key)); // never cache a failure
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
