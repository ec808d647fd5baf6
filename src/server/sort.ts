import { z } from 'zod';

type Direction = 'asc' | 'desc';

/**
 * A `sort` parameter over the given keys (API name → Prisma field): comma-separated keys, `-` for
 * descending. Its pattern, description and the Prisma orderBy all come from `fields`; pages are
 * stable because the order always ends on the `tieBreak` keys.
 */
export function sortSpec(fields: Record<string, string>, { byDefault, tieBreak }: { byDefault: string; tieBreak: string[] }) {
  const names = Object.keys(fields);
  const keys = names.join(', ');
  const key = `-?(${names.join('|')})`; // column names: [a-z0-9_]
  const parameter = z
    .string()
    .regex(
      new RegExp(`^${key}(,${key})*$`),
      `sort must be a comma-separated list of ${keys}, each optionally prefixed with - for descending`,
    )
    .default(byDefault)
    .describe(`comma-separated keys from ${keys}; prefix - for descending; ties break on ${tieBreak.join(', ')}`);
  /** Prisma's orderBy for a valid `sort` value. */
  const orderBy = (sort: string): Record<string, Direction>[] => {
    const order = sort.split(',').map((term) => {
      const descending = term.startsWith('-');
      return { [fields[descending ? term.slice(1) : term]!]: descending ? ('desc' as const) : ('asc' as const) };
    });
    const used = new Set(order.map((o) => Object.keys(o)[0]));
    for (const field of tieBreak.map((k) => fields[k]!)) if (!used.has(field)) order.push({ [field]: 'asc' });
    return order;
  };
  return { parameter, orderBy };
}

/** The orders extension's sort keys and the Prisma fields they order by. */
export const ordersSort = sortSpec(
  { id: 'id', created_at: 'createdAt', total_amount: 'totalAmount', status: 'status' },
  { byDefault: '-created_at', tieBreak: ['id'] },
);
