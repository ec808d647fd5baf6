import { z } from 'zod';
import { OrderStatus } from '../generated/prisma/enums.ts';
import { LIMITS } from './limits.ts';
import { sortParameter } from './sort.ts';

/**
 * API input and output schemas: one source for request validation in REST and tRPC, for the
 * TypeScript types, and for the OpenAPI document. REST reads parameters as text and tRPC as JSON;
 * both go through the same schemas, so a value means the same on both protocols.
 */

/** Canonical decimal digits: what an integer parameter may look like as text (REST, and tRPC too). */
const DECIMAL_INTEGER = /^(0|-?[1-9][0-9]*)$/;

/**
 * An integer from `min` to `max` (by default the int4 range of the key columns): a JSON number, or
 * decimal digits. `0x51`, `1e1`, `+5`, `5.0`, ` 1` and the empty string are refused, each with its reason.
 */
function integer(name: string, { min, max = LIMITS.int4Max, example }: { min: number; max?: number; example: number }) {
  const range = `${name} must be between ${min} and ${max}`;
  const number = z
    .number({ error: `${name} must be an integer` })
    .min(min, { error: range, abort: true })
    .max(max, { error: range, abort: true })
    .int(`${name} must be an integer`)
    .meta({ examples: [example] });
  return z.preprocess<unknown, typeof number, number>((value, ctx) => {
    if (typeof value !== 'string') return value;
    if (DECIMAL_INTEGER.test(value)) {
      const n = Number(value);
      return Number.isFinite(n) ? n : Math.sign(n) * Number.MAX_VALUE; // hundreds of digits: out of range, not "not a number"
    }
    ctx.addIssue({ code: 'custom', message: integerTextError(name, value, example) });
    return value;
  }, number);
}

function integerTextError(name: string, text: string, example: number): string {
  if (text === '') return `${name} is empty: give an integer such as ${example}, or leave ${name} out`;
  if (/\s/.test(text)) return `${name} must not contain spaces (got ${JSON.stringify(text)})`;
  return `${name} must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as ${example} (got ${JSON.stringify(text)})`;
}

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

/** PostgreSQL has no year 0, and ISO 8601 years have four digits: instants are kept within these (UTC). */
const INSTANT_RANGE = { min: Date.parse('0001-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59.999Z') };

const instant = (name: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      error: `${name} must be an ISO 8601 date or date-time with offset, such as 2025-01-31 or 2025-01-31T12:00:00Z`,
    })
    .refine((value) => {
      const t = Date.parse(value);
      return t >= INSTANT_RANGE.min && t <= INSTANT_RANGE.max;
    }, `${name} must fall between 0001-01-01 and 9999-12-31 UTC (PostgreSQL has no year 0)`)
    .meta({ examples: ['2025-01-31', '2025-01-31T12:00:00Z'] });

export const statusSchema = z
  .enum(OrderStatus, { error: `status must be one of: ${Object.values(OrderStatus).join(', ')}` })
  .meta({ examples: ['delivered'] });

/**
 * Parameters of a route: unknown ones are refused, with the list of those the route takes (the
 * zod issue's message; problem.ts names each unknown one).
 */
const parameterObject = <Shape extends z.ZodRawShape>(shape: Shape) => {
  const names = Object.keys(shape);
  const takes = names.length > 0 ? `this route takes ${names.join(', ')}` : 'this route takes no parameters';
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? takes : undefined) });
};

/**
 * Query parameters: all may be left out (REST: no query string; tRPC: no input). Every parameter
 * is optional or has a default, hence `{}` is a valid input.
 */
const queryParameters = <Shape extends z.ZodRawShape>(shape: Shape) => {
  const parameters = parameterObject(shape);
  return parameters.prefault({} as z.input<typeof parameters>);
};

/** Routes without parameters still refuse unknown ones, like every other route. */
export const noParameters = parameterObject({});

export const listOrdersInput = queryParameters({
  skip: integer('skip', { min: 0, example: 0 }).default(0).describe('rows to skip'),
  limit: integer('limit', { min: 1, max: 100, example: 20 }).default(50).describe('page size, 1-100'),
  status: statusSchema.optional(),
  user_id: integer('user_id', { min: 1, example: 42 }).optional().describe('orders of this customer'),
  created_after: instant('created_after').optional().describe('inclusive lower bound on created_at'),
  created_before: instant('created_before').optional().describe('exclusive upper bound on created_at'),
  min_total: amount('min_total').optional().describe('inclusive lower bound on total_amount'),
  max_total: amount('max_total').optional().describe('inclusive upper bound on total_amount'),
  sort: sortParameter,
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
/** A count(*)::int. */
const count = z.int().min(0).max(LIMITS.int4Max);

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
  limit: z.int().min(1).max(100),
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

export const apiInfo = z.object({
  name: z.string(),
  version: z.string(),
  data_source: z.string().describe('the database, password redacted'),
  docs: z.string(),
  openapi: z.string(),
  trpc: z.string(),
  endpoints: z.array(z.string()).describe('"METHOD /path" of every route'),
});

export const health = z.object({
  status: z.literal('ok'),
  database: z.literal('up'),
  latency_ms: z.number().nonnegative().describe('time to read a row of every table the API serves'),
});

export type OrderSummary = z.infer<typeof orderSummary>;
export type OrderPage = z.infer<typeof orderPage>;
export type OrderDetail = z.infer<typeof orderDetail>;
export type OrderStats = z.infer<typeof orderStats>;
