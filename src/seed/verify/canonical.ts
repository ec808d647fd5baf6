import type { ResolvedColumn } from '../../model/resolve.ts';

/** A row read back from a destination, every value in one canonical text form (or null). */
export type CanonRow = (string | null)[];

/** One canonical text per value, whatever the destination: what makes dual copies comparable. */
export function canonical(c: ResolvedColumn, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  switch (c.type.base) {
    case 'datetime':
      return new Date(String(v)).toISOString();
    case 'boolean':
      return v === true || v === 't' || v === 'true' ? 'true' : 'false';
    case 'int':
    case 'bigint':
    case 'float':
      return String(Number(v));
    case 'json':
      return JSON.stringify(typeof v === 'string' ? JSON.parse(v) : v);
    default:
      return String(v);
  }
}
