import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.ts';

/** The API's sort keys and the Prisma fields they order by: the parameter's pattern, description and orderBy all come from here. */
const SORT_FIELDS = {
  id: 'id',
  created_at: 'createdAt',
  total_amount: 'totalAmount',
  status: 'status',
} as const satisfies Record<string, keyof Prisma.OrderOrderByWithRelationInput>;

type SortKey = keyof typeof SORT_FIELDS;

const keys = Object.keys(SORT_FIELDS).join(', ');
const key = `-?(${Object.keys(SORT_FIELDS).join('|')})`;

export const sortParameter = z
  .string()
  .regex(new RegExp(`^${key}(,${key})*$`), `sort must be a comma-separated list of ${keys}, each optionally prefixed with - for descending`)
  .default('-created_at')
  .describe(`comma-separated keys from ${keys}; prefix - for descending; ties break on id`);

/** Prisma's orderBy for a valid `sort` value, ending on id so that pages are stable. */
export function orderBy(sort: string): Prisma.OrderOrderByWithRelationInput[] {
  const terms = sort.split(',').map((term) => {
    const descending = term.startsWith('-');
    return { key: (descending ? term.slice(1) : term) as SortKey, direction: descending ? ('desc' as const) : ('asc' as const) };
  });
  const order = terms.map((t) => ({ [SORT_FIELDS[t.key]]: t.direction }));
  if (!terms.some((t) => t.key === 'id')) order.push({ id: 'asc' });
  return order;
}
