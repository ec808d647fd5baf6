import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { buildApi } from '../src/server/api.ts';
import { createApiContext } from '../src/server/context.ts';
import { createPrisma, type PrismaClient } from '../src/server/prisma.ts';
import { callerOf } from '../src/server/routers/app.ts';
import { backends } from './helpers/databases.ts';
import { scratchProject } from './helpers/project.ts';

describe.each(backends)('tRPC procedures called in-process on $name with seeded data', (backend) => {
  let env: Awaited<ReturnType<typeof backend.fresh>>;
  let p: ReturnType<typeof scratchProject>;
  let prisma: PrismaClient;
  let caller: ReturnType<ReturnType<typeof callerOf>>;
  const one = async <T extends Record<string, unknown>>(sql: string) => (await env.db.query<T>(sql))[0]!;

  beforeAll(async () => {
    env = await backend.fresh();
    p = scratchProject('ecommerce_model.json');
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await seed(env.db, p.model, { seed: 7, counts: plannedCounts(p.model), out: p.out });
    prisma = createPrisma(env.db);
    const api = await buildApi(p.model, prisma, { cacheMs: 0 });
    caller = callerOf(api.router)(createApiContext({ prisma, info: { name: 'ecom', version: 'test', dataSource: env.db.label } }));
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await env.db.close().catch(() => {});
    await env.drop();
    p.cleanup();
  });

  it('orders.list filters, sorts and pages like SQL, with item counts and exact amounts', async () => {
    const page = await caller.orders.list({ status: 'shipped', sort: '-total_amount', skip: 2, limit: 10 });
    const expected = await env.db.query<{ id: number; total: string; items: number }>(
      `SELECT o.id, o.total_amount::text AS total, (SELECT count(*)::int FROM order_items i WHERE i.order_id = o.id) AS items
       FROM orders o WHERE o.status = 'shipped' ORDER BY o.total_amount DESC, o.id LIMIT 10 OFFSET 2`,
    );
    const { n } = await one<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE status = 'shipped'");
    expect(page).toMatchObject({ total: n, skip: 2, limit: 10, sort: '-total_amount' });
    expect(page.items.map((o) => [o.id, o.total_amount, o.item_count, o.status])).toEqual(
      expected.map((e) => [e.id, e.total, e.items, 'shipped']),
    );
  });

  it('orders.list and orders.stats may be called without input: the schema defaults apply, parsed once', async () => {
    const page = await caller.orders.list();
    expect(page).toMatchObject({ total: 200, skip: 0, limit: 50, sort: '-created_at' });
    const newest = await env.db.query<{ id: number }>('SELECT id FROM orders ORDER BY created_at DESC, id LIMIT 50');
    expect(page.items.map((o) => o.id)).toEqual(newest.map((r) => r.id));
    const stats = await caller.orders.stats();
    expect(stats.top_customers).toHaveLength(5);
    expect(stats.order_count).toBe(200);
    const { revenue } = await one<{ revenue: string }>("SELECT sum(total_amount)::text AS revenue FROM orders WHERE status <> 'cancelled'");
    expect(stats.revenue).toBe(revenue);
  });

  it('orders.byId returns the order with its customer and items as SQL has them', async () => {
    const order = await caller.orders.byId({ id: 42 });
    const row = await one<{ user_id: number; total: string; email: string; created_at: string }>(
      `SELECT o.user_id, o.total_amount::text AS total, u.email, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
       FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = 42`,
    );
    const items = await env.db.query<{ id: number; name: string; quantity: number; line_total: string }>(
      `SELECT i.id, p.name, i.quantity, (i.unit_price * i.quantity)::numeric(18,2)::text AS line_total
       FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = 42 ORDER BY i.id`,
    );
    expect(order).toMatchObject({
      id: 42,
      user_id: row.user_id,
      total_amount: row.total,
      created_at: row.created_at,
      item_count: items.length,
      customer: { id: row.user_id, email: row.email },
    });
    expect(order.items.map((i) => [i.id, i.product_name, i.quantity, i.line_total])).toEqual(
      items.map((i) => [i.id, i.name, i.quantity, i.line_total]),
    );
  });

  it('a missing order is NOT_FOUND and invalid input BAD_REQUEST, as TRPCErrors', async () => {
    const missing = await caller.orders.byId({ id: 999_999 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TRPCError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'order 999999 does not exist' });
    const invalid = await caller.orders.stats({ top: 51 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(TRPCError);
    expect(invalid).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
