/** Exact decimal arithmetic on strings through scaled bigints: totals never drift like floats do. */

export interface Scaled {
  units: bigint;
  scale: number;
}

export function parseDecimal(text: string | number): Scaled {
  const s = typeof text === 'number' ? String(text) : text;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = m[3] ?? '';
  const units = BigInt(m[2]! + frac);
  return { units: m[1] ? -units : units, scale: frac.length };
}

export function multiply(a: Scaled, b: Scaled): Scaled {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function rescale(a: Scaled, scale: number): bigint {
  if (scale >= a.scale) return a.units * 10n ** BigInt(scale - a.scale);
  const div = 10n ** BigInt(a.scale - scale);
  const q = a.units / div;
  const r = a.units % div;
  // half away from zero, as PostgreSQL's numeric rounding does
  return 2n * (r < 0n ? -r : r) >= div ? q + (a.units < 0n ? -1n : 1n) : q;
}

export function formatUnits(units: bigint, scale: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

/** Formats a float as a decimal with `scale` digits (for generated amounts). */
export function fromNumber(n: number, scale: number): string {
  return formatUnits(BigInt(Math.round(n * 10 ** scale)), scale);
}
