import { z } from 'zod';
import { OrderStatus } from '../generated/prisma/enums.ts';
import { sortParameter } from './sort.ts';

/**
 * API input and output schemas: one source for request validation in REST and tRPC, for the
 * TypeScript types, and for the OpenAPI document. Query strings arrive as text, so numbers coerce.
 */

const integer = (name: string) => z.coerce.number<number>({ error: `${name} must be an integer` }).int(`${name} must be an integer`);
const between = (name: string, min: number, max: number) => {
  const message = `${name} must be between ${min} and ${max}`;
  return integer(name).min(min, message).max(max, message);
};
const amount = (name: string) =>
  z
    .string()
    .regex(/^\d+(\.\d{1,2})?$/, `${name} must be a non-negative amount such as 100 or 99.50`)
    .or(z.number().nonnegative(`${name} must be non-negative`).transform(String))
    .pipe(z.string());
const instant = (name: string) =>
  z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: `${name} must be an ISO 8601 date or date-time, e.g. 2025-01-31 or 2025-01-31T12:00:00Z`,
  });

export const statusSchema = z.enum(OrderStatus, { error: `status must be one of: ${Object.values(OrderStatus).join(', ')}` });

/**
 * Query parameters: unknown ones are refused, and all may be left out (REST: no query string;
 * tRPC: no input). Every parameter is optional or has a default, hence `{}` is a valid input.
 */
const queryParameters = <Shape extends z.ZodRawShape>(shape: Shape) => {
  const parameters = z.object(shape).strict();
  return parameters.prefault({} as z.input<typeof parameters>);
};

export const listOrdersInput = queryParameters({
  skip: integer('skip').min(0, 'skip must be 0 or more').default(0).describe('rows to skip'),
  limit: between('limit', 1, 100).default(50).describe('page size, 1-100'),
  status: statusSchema.optional(),
  user_id: integer('user_id').positive('user_id must be a positive integer').optional(),
  created_after: instant('created_after').optional().describe('inclusive lower bound on created_at'),
  created_before: instant('created_before').optional().describe('exclusive upper bound on created_at'),
  min_total: amount('min_total').optional().describe('inclusive lower bound on total_amount'),
  max_total: amount('max_total').optional().describe('inclusive upper bound on total_amount'),
  sort: sortParameter,
});

export const orderIdInput = z.object({ id: integer('id').positive('id must be a positive integer') }).strict();

export const statsInput = queryParameters({
  top: between('top', 1, 50).default(5).describe('how many top customers'),
});

export type ListOrdersInput = z.infer<typeof listOrdersInput>;
export type StatsInput = z.infer<typeof statsInput>;

const money = z.string().describe('decimal amount as a string with two decimals, exact (e.g. "129.90")');

export const orderSummary = z.object({
  id: z.number().int(),
  user_id: z.number().int(),
  status: statusSchema,
  total_amount: money,
  created_at: z.string().describe('ISO 8601 UTC'),
  item_count: z.number().int(),
});

export const orderPage = z.object({
  items: z.array(orderSummary),
  total: z.number().int().describe('orders matching the filters'),
  skip: z.number().int(),
  limit: z.number().int(),
  sort: z.string(),
});

export const orderDetail = orderSummary.extend({
  customer: z.object({ id: z.number().int(), email: z.string(), first_name: z.string(), last_name: z.string() }),
  items: z.array(
    z.object({
      id: z.number().int(),
      product_id: z.number().int(),
      product_name: z.string(),
      quantity: z.number().int(),
      unit_price: money,
      line_total: money,
    }),
  ),
});

export const orderStats = z.object({
  revenue: money.describe('sum of total_amount over orders that are not cancelled'),
  revenue_excludes: z.array(z.string()).describe('statuses left out of revenue figures'),
  order_count: z.number().int().describe('all orders, any status'),
  revenue_order_count: z.number().int().describe('orders counted in revenue'),
  average_order_value: money.describe('revenue / revenue_order_count'),
  distinct_customers: z.number().int().describe('customers with at least one order, any status'),
  repeat_customer_rate: z.number().describe('share of distinct customers with two or more orders, 0-1, 4 decimals'),
  top_customers: z.array(z.object({ user_id: z.number().int(), email: z.string(), orders: z.number().int(), spend: money })),
  status_breakdown: z.array(
    z.object({ status: statusSchema, count: z.number().int(), revenue: money.describe('sum of total_amount of orders in this status') }),
  ),
  revenue_by_month: z.array(z.object({ month: z.string().describe('YYYY-MM, UTC'), orders: z.number().int(), revenue: money })),
});

export const apiInfo = z.object({
  name: z.string(),
  version: z.string(),
  data_source: z.string().describe('the database, password redacted'),
  docs: z.string(),
  openapi: z.string(),
  trpc: z.string(),
  endpoints: z.array(z.string()).describe('"METHOD /path" of every route'),
});

export const health = z.object({ status: z.literal('ok'), database: z.literal('up'), latency_ms: z.number() });

export type OrderSummary = z.infer<typeof orderSummary>;
export type OrderPage = z.infer<typeof orderPage>;
export type OrderDetail = z.infer<typeof orderDetail>;
export type OrderStats = z.infer<typeof orderStats>;
