import { z } from 'zod';
import { ORDER_STATUSES } from './orders-client.ts';
import { LIMITS } from './limits.ts';
import { count, instant, integer, pageParameters, parameterObject, queryParameters } from './parameters.ts';
import { ordersSort } from './sort.ts';

/**
 * The orders extension's input and output schemas: one source for request validation in REST and
 * tRPC, for the TypeScript types, and for the OpenAPI document.
 */

/** Exact amounts, in and out, are decimal strings: never a binary float. */
const MONEY_INPUT = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;
const MONEY_OUTPUT = /^(0|[1-9][0-9]*)\.[0-9]{2}$/;

const amount = (name: string) => {
  const message = `${name} must be a non-negative amount as a string of digits with at most 2 decimals, such as "100" or "99.50"`;
  return z
    .string({ error: message })
    .regex(MONEY_INPUT, message)
    .meta({ examples: ['100', '99.50'] });
};

export const statusSchema = z
  .enum(ORDER_STATUSES, { error: `status must be one of: ${ORDER_STATUSES.join(', ')}` })
  .meta({ examples: ['delivered'] });

export const listOrdersInput = queryParameters({
  ...pageParameters,
  status: statusSchema.optional(),
  user_id: integer('user_id', { min: 1, example: 42 }).optional().describe('orders of this customer'),
  created_after: instant('created_after').optional().describe('inclusive lower bound on created_at'),
  created_before: instant('created_before').optional().describe('exclusive upper bound on created_at'),
  min_total: amount('min_total').optional().describe('inclusive lower bound on total_amount'),
  max_total: amount('max_total').optional().describe('inclusive upper bound on total_amount'),
  sort: ordersSort.parameter,
});

export const orderIdInput = parameterObject({ id: integer('id', { min: 1, example: 42 }).describe('the order id') });

export const statsInput = queryParameters({
  top: integer('top', { min: 1, max: 50, example: 5 }).default(5).describe('how many top customers'),
});

export type ListOrdersInput = z.infer<typeof listOrdersInput>;
export type StatsInput = z.infer<typeof statsInput>;

/** A row key: the id columns are int4. */
const key = z
  .int()
  .min(1)
  .max(LIMITS.int4Max)
  .meta({ examples: [42] });

const money = z
  .string()
  .regex(MONEY_OUTPUT)
  .describe('exact decimal amount as a string with two decimals')
  .meta({ examples: ['129.90'] });

const timestamp = z.iso
  .datetime()
  .describe('ISO 8601 UTC, millisecond precision')
  .meta({ examples: ['2025-03-08T17:14:43.000Z'] });

export const orderSummary = z.object({
  id: key,
  user_id: key,
  status: statusSchema,
  total_amount: money,
  created_at: timestamp,
  item_count: count,
});

export const orderPage = z.object({
  items: z.array(orderSummary),
  total: count.describe('orders matching the filters (also in X-Total-Count)'),
  skip: count,
  limit: z.int().min(1).max(LIMITS.maxPageSize),
  sort: z.string(),
});

export const orderDetail = orderSummary.extend({
  customer: z.object({ id: key, email: z.string(), first_name: z.string(), last_name: z.string() }),
  items: z.array(
    z.object({
      id: key,
      product_id: key,
      product_name: z.string(),
      quantity: count,
      unit_price: money,
      line_total: money,
    }),
  ),
});

export const orderStats = z.object({
  revenue: money.describe('sum of total_amount over orders that are not cancelled'),
  revenue_excludes: z.array(z.string()).describe('statuses left out of revenue figures'),
  order_count: count.describe('all orders, any status'),
  revenue_order_count: count.describe('orders counted in revenue'),
  average_order_value: money.describe('revenue / revenue_order_count'),
  distinct_customers: count.describe('customers with at least one order, any status'),
  repeat_customer_rate: z.number().min(0).max(1).describe('share of distinct customers with two or more orders, 0-1, 4 decimals'),
  top_customers: z.array(z.object({ user_id: key, email: z.string(), orders: count, spend: money })),
  status_breakdown: z.array(
    z.object({ status: statusSchema, count, revenue: money.describe('sum of total_amount of orders in this status') }),
  ),
  revenue_by_month: z.array(
    z.object({
      month: z
        .string()
        .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/)
        .describe('YYYY-MM, UTC'),
      orders: count,
      revenue: money,
    }),
  ),
});

export type OrderSummary = z.infer<typeof orderSummary>;
export type OrderPage = z.infer<typeof orderPage>;
export type OrderDetail = z.infer<typeof orderDetail>;
export type OrderStats = z.infer<typeof orderStats>;
