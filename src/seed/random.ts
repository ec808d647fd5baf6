/**
 * Deterministic randomness. Every value is drawn from a stream keyed by (seed, table, column, row),
 * so a row never depends on batch sizes, on other rows, or on the order chunks are generated in.
 */

/** FNV-1a, 32-bit: offset basis 0x811c9dc5, prime 0x01000193 (over UTF-16 code units). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** MurmurHash3's fmix32 finalizer: mixes every input bit into every output bit. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The stream key of one cell. `base` is hash(seed, table, column), computed once per column; the row
 * is spread by the golden-ratio constant 0x9e3779b1, rows past 2^32 add their high part.
 */
export function cellKey(base: number, row: number): number {
  return fmix((base ^ Math.imul(row + 1, 0x9e3779b1)) + Math.floor(row / 0x100000000));
}

export function columnBase(seed: number, table: string, column: string): number {
  return fmix(fmix(seed ^ hashString(table)) ^ hashString(column));
}

/**
 * The mulberry32 PRNG (Tommy Ettinger): 32 bits of state, tiny, fast and re-seedable in O(1),
 * which Faker's Mersenne Twister is not.
 */
export class Rng {
  private state = 0;

  seed(key: number | number[]): void {
    this.state = (Array.isArray(key) ? key.reduce((a, b) => fmix(a ^ b), 0) : key) >>> 0;
  }

  /** 32 random bits, as an unsigned integer. */
  uint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
}
