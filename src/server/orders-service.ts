import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { ordersClient, type OrdersClient, type OrderWhere } from './orders-client.ts';
import { MicroCache } from './micro-cache.ts';
import { orderDetailInclude, toOrderDetail, toOrderSummary } from './order-mapping.ts';
import { ordersSort } from './sort.ts';
import type { ListOrdersInput, OrderDetail, OrderPage, OrderStats, StatsInput } from './schemas.ts';

/** The statuses that do not count as revenue. */
export const REVENUE_EXCLUDES = ['cancelled'] as const;
const NOT_CANCELLED = Prisma.sql`status::text <> 'cancelled'`;

export interface OrdersService {
  list(input: ListOrdersInput): Promise<OrderPage>;
  byId(id: number): Promise<OrderDetail | null>;
  stats(input: StatsInput): Promise<OrderStats>;
}

/**
 * The one implementation behind REST and tRPC. Totals and stats go through a micro-cache
 * (`cacheMs`, default 1 s): they are exact, computed at most `cacheMs` before the response.
 */
export function ordersService(client: PrismaClient, options: { cacheMs?: number } = {}): OrdersService {
  const prisma = ordersClient(client);
  const cache = new MicroCache(options.cacheMs ?? 1000);
  return {
    list: (input) => listOrders(prisma, cache, input),
    byId: (id) => getOrder(prisma, id),
    stats: (input) => cache.get(`stats:${input.top}`, () => orderStats(prisma, input)),
  };
}

async function listOrders(prisma: OrdersClient, cache: MicroCache, input: ListOrdersInput): Promise<OrderPage> {
  const where: OrderWhere = {
    ...(input.status ? { status: input.status } : {}),
    ...(input.user_id ? { userId: input.user_id } : {}),
    ...(input.created_after || input.created_before
      ? {
          createdAt: {
            ...(input.created_after ? { gte: new Date(input.created_after) } : {}),
            ...(input.created_before ? { lt: new Date(input.created_before) } : {}),
          },
        }
      : {}),
    ...(input.min_total || input.max_total
      ? { totalAmount: { ...(input.min_total ? { gte: input.min_total } : {}), ...(input.max_total ? { lte: input.max_total } : {}) } }
      : {}),
  };
  const [total, rows] = await Promise.all([
    cache.get(`count:${JSON.stringify(where)}`, () => prisma.order.count({ where })),
    prisma.order.findMany({
      where,
      orderBy: ordersSort.orderBy(input.sort),
      skip: input.skip,
      take: input.limit,
    }),
  ]);
  // Counted for the page only: an `_count` include makes PostgreSQL count items for every matching order before LIMIT.
  const counts =
    rows.length === 0
      ? []
      : await prisma.orderItem.groupBy({ by: ['orderId'], where: { orderId: { in: rows.map((o) => o.id) } }, _count: { _all: true } });
  const itemCount = new Map(counts.map((c) => [c.orderId, c._count._all]));
  return {
    items: rows.map((o) => toOrderSummary(o, itemCount.get(o.id) ?? 0)),
    total,
    skip: input.skip,
    limit: input.limit,
    sort: input.sort,
  };
}

async function getOrder(prisma: OrdersClient, id: number): Promise<OrderDetail | null> {
  const row = await prisma.order.findUnique({
    relationLoadStrategy: 'join', // one round trip instead of four
    where: { id },
    include: orderDetailInclude,
  });
  return row && toOrderDetail(row);
}

/** Every figure is an SQL aggregate: the process never loads the orders. */
async function orderStats(prisma: OrdersClient, input: StatsInput): Promise<OrderStats> {
  const [totals, repeat, top, byStatus, byMonth] = await Promise.all([
    prisma.$queryRaw<
      { order_count: number; revenue_order_count: number; revenue: string; average: string | null; distinct_customers: number }[]
    >`
      SELECT count(*)::int AS order_count,
             count(*) FILTER (WHERE ${NOT_CANCELLED})::int AS revenue_order_count,
             coalesce(sum(total_amount) FILTER (WHERE ${NOT_CANCELLED}), 0)::numeric(18,2)::text AS revenue,
             round(avg(total_amount) FILTER (WHERE ${NOT_CANCELLED}), 2)::numeric(18,2)::text AS average,
             count(DISTINCT user_id)::int AS distinct_customers
      FROM orders`,
    prisma.$queryRaw<{ repeat: number; customers: number }[]>`
      SELECT count(*) FILTER (WHERE n >= 2)::int AS repeat, count(*)::int AS customers
      FROM (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) per_customer`,
    prisma.$queryRaw<{ user_id: number; email: string; orders: number; spend: string }[]>`
      SELECT o.user_id, u.email, count(*)::int AS orders, sum(o.total_amount)::numeric(18,2)::text AS spend
      FROM orders o JOIN users u ON u.id = o.user_id
      WHERE ${NOT_CANCELLED}
      GROUP BY o.user_id, u.email
      ORDER BY sum(o.total_amount) DESC, o.user_id
      LIMIT ${input.top}`,
    prisma.$queryRaw<{ status: OrderStats['status_breakdown'][number]['status']; count: number; revenue: string }[]>`
      SELECT s::text AS status, count(o.id)::int AS count, coalesce(sum(o.total_amount), 0)::numeric(18,2)::text AS revenue
      FROM unnest(enum_range(NULL::orders_status)) AS s LEFT JOIN orders o ON o.status = s
      GROUP BY s ORDER BY s`,
    prisma.$queryRaw<{ month: string; orders: number; revenue: string }[]>`
      SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS orders, sum(total_amount)::numeric(18,2)::text AS revenue
      FROM orders WHERE ${NOT_CANCELLED}
      GROUP BY 1 ORDER BY 1`,
  ]);
  const t = totals[0]!;
  const r = repeat[0]!;
  return {
    revenue: t.revenue,
    revenue_excludes: [...REVENUE_EXCLUDES],
    order_count: t.order_count,
    revenue_order_count: t.revenue_order_count,
    average_order_value: t.average ?? '0.00',
    distinct_customers: t.distinct_customers,
    repeat_customer_rate: r.customers === 0 ? 0 : Math.round((r.repeat / r.customers) * 10_000) / 10_000,
    top_customers: top,
    status_breakdown: byStatus,
    revenue_by_month: byMonth,
  };
}
