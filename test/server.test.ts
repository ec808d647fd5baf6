import { Validator } from '@seriousme/openapi-schema-validator';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadModel } from '../src/model/load.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { startServer, type RunningServer } from '../src/server/server.ts';
import type { AppRouter } from '../src/server/routers/app.ts';
import { BATCH_LIMITS, ordersClient, showcase } from '../examples/trpc-client.ts';
import { LIMITS } from '../src/server/limits.ts';
import { backends } from './helpers/databases.ts';
import { scratchProject } from './helpers/project.ts';

const silent = pino({ level: 'silent' });

describe.each(backends)('the API on $name with seeded data', (backend) => {
  let env: Awaited<ReturnType<typeof backend.fresh>>;
  let db: Database;
  let api: RunningServer;
  let p: ReturnType<typeof scratchProject>;
  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(api.url + path, init);
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text,
      headers: res.headers,
    };
  };
  const sqlCount = async (where: string, params: unknown[] = []) =>
    Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE ${where}`, params))[0]!.n);

  beforeAll(async () => {
    env = await backend.fresh();
    p = scratchProject('ecommerce_model.json');
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await seed(env.db, p.model, { seed: 7, counts: plannedCounts(p.model), out: p.out });
    // the server gets its own connection, like `ecom serve`; a password in the URL must never show
    db = env.url ? await connect({ url: env.url.replace('postgres@', 'postgres:topsecret@') }) : env.db;
    api = await startServer({
      db,
      model: p.model,
      port: 0,
      host: '127.0.0.1',
      logger: silent,
      corsOrigins: ['http://app.test'],
      cacheMs: 0,
    });
  });
  afterAll(async () => {
    await api.close();
    if (db !== env.db) await db.close().catch(() => {});
    await env.db.close().catch(() => {});
    await env.drop();
    p.cleanup();
  });

  it('GET / describes the API without leaking the password', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body.endpoints).toEqual([
      'GET /',
      'GET /health',
      'GET /orders',
      'GET /orders/{id}',
      'GET /orders/stats/summary',
      'GET /tables/orders',
      'GET /tables/orders/{id}',
    ]);
    expect(r.body).toMatchObject({ tables: ['orders'], extensions: ['orders'] });
    expect(r.body.data_source).toMatch(backend.name === 'postgres' ? /^PostgreSQL postgresql:\/\/postgres:\*\*\*\*@/ : /^PGlite /);
    expect(JSON.stringify(r.body)).not.toContain('topsecret');
  });

  it('GET /health answers 200 when the database does', async () => {
    const r = await get('/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('paginates: first, last and past-the-end pages, limit 100 and 101', async () => {
    const first = await get('/orders?sort=id');
    expect(first.body).toMatchObject({ total: 200, skip: 0, limit: 50, sort: 'id' });
    expect(first.body.items.map((o: { id: number }) => o.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const last = await get('/orders?sort=id&skip=190&limit=50');
    expect(last.body.items.map((o: { id: number }) => o.id)).toEqual(Array.from({ length: 10 }, (_, i) => 191 + i));
    const past = await get('/orders?skip=500');
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ items: [], total: 200, skip: 500 });
    expect((await get('/orders?limit=100')).body.items).toHaveLength(100);
    const over = await get('/orders?limit=101');
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([{ parameter: 'limit', message: 'limit must be between 1 and 100' }]);
  });

  it('filters, alone and combined, match counts computed with SQL', async () => {
    // a customer with delivered orders: recent customers have none yet (statuses follow age)
    const [top] = await db.query<{ user_id: number }>(
      "SELECT user_id FROM orders WHERE status = 'delivered' GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1",
    );
    const user = top!.user_id;
    const cases: [string, string, unknown[]][] = [
      ['status=delivered', "status = 'delivered'", []],
      [`user_id=${user}`, 'user_id = $1', [user]],
      ['created_after=2025-01-01', "created_at >= '2025-01-01T00:00:00Z'", []],
      ['created_before=2024-06-01T00:00:00Z', "created_at < '2024-06-01T00:00:00Z'", []],
      ['min_total=500', 'total_amount >= 500', []],
      ['max_total=250.50', 'total_amount <= 250.50', []],
      [
        'status=shipped&min_total=100&max_total=2000&created_after=2024-01-01',
        "status = 'shipped' AND total_amount BETWEEN 100 AND 2000 AND created_at >= '2024-01-01T00:00:00Z'",
        [],
      ],
      [
        `user_id=${user}&status=delivered&created_before=2026-01-01`,
        "user_id = $1 AND status = 'delivered' AND created_at < '2026-01-01T00:00:00Z'",
        [user],
      ],
    ];
    for (const [query, where, params] of cases) {
      const expected = await sqlCount(where, params);
      const r = await get(`/orders?limit=100&${query}`);
      expect(r.status, query).toBe(200);
      expect(r.body.total, query).toBe(expected);
      expect(r.body.items.length, query).toBe(Math.min(100, expected));
      expect(expected, `${query} should select some but not all orders`).toBeGreaterThan(0);
    }
  });

  it('sorts by any key, ties broken by id, like SQL does', async () => {
    const r = await get('/orders?sort=-total_amount&limit=20');
    const expected = await db.query<{ id: number }>('SELECT id FROM orders ORDER BY total_amount DESC, id LIMIT 20');
    expect(r.body.items.map((o: { id: number }) => o.id)).toEqual(expected.map((e) => e.id));
    const multi = await get('/orders?sort=status,-created_at&limit=30&skip=10');
    const expectedMulti = await db.query<{ id: number }>('SELECT id FROM orders ORDER BY status, created_at DESC, id LIMIT 30 OFFSET 10');
    expect(multi.body.items.map((o: { id: number }) => o.id)).toEqual(expectedMulti.map((e) => e.id));
  });

  it('GET /orders/{id} returns the order with items and customer; 404 when absent', async () => {
    const r = await get('/orders/42');
    expect(r.status).toBe(200);
    const order = (
      await db.query<{ user_id: number; total: string; email: string }>(
        'SELECT o.user_id, o.total_amount::text AS total, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = 42',
      )
    )[0]!;
    const items = await db.query<{ id: number; product_id: number; name: string; quantity: number; unit_price: string }>(
      'SELECT i.id, i.product_id, p.name, i.quantity, i.unit_price::text AS unit_price FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = 42 ORDER BY i.id',
    );
    expect(r.body).toMatchObject({
      id: 42,
      user_id: order.user_id,
      total_amount: order.total,
      customer: { id: order.user_id, email: order.email },
      item_count: items.length,
    });
    expect(r.body.items.map((i: Record<string, unknown>) => [i.id, i.product_id, i.product_name, i.quantity, i.unit_price])).toEqual(
      items.map((i) => [i.id, i.product_id, i.name, i.quantity, i.unit_price]),
    );
    const missing = await get('/orders/999999');
    expect(missing.status).toBe(404);
    expect(missing.type).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 404, title: 'Not found', detail: 'order 999999 does not exist' });
  });

  it('GET /orders/stats/summary: every figure equals SQL', async () => {
    const r = await get('/orders/stats/summary?top=3');
    expect(r.status).toBe(200);
    const s = r.body;
    const one = async <T>(sql: string) => (await db.query<T & Record<string, unknown>>(sql))[0]!;
    const totals = await one<{ revenue: string; n: number; all: number; avg: string; customers: number }>(
      "SELECT sum(total_amount) FILTER (WHERE status <> 'cancelled')::text AS revenue, count(*) FILTER (WHERE status <> 'cancelled')::int AS n, count(*)::int AS all, round(avg(total_amount) FILTER (WHERE status <> 'cancelled'), 2)::text AS avg, count(DISTINCT user_id)::int AS customers FROM orders",
    );
    expect(s.revenue).toBe(totals.revenue);
    expect(s.revenue_excludes).toEqual(['cancelled']);
    expect(s.revenue_order_count).toBe(totals.n);
    expect(s.order_count).toBe(200);
    expect(s.average_order_value).toBe(totals.avg);
    expect(s.distinct_customers).toBe(totals.customers);
    const repeat = await one<{ r: number }>(
      'SELECT count(*)::int AS r FROM (SELECT user_id FROM orders GROUP BY user_id HAVING count(*) >= 2) x',
    );
    expect(s.repeat_customer_rate).toBeCloseTo(repeat.r / totals.customers, 4);
    const top = await db.query(
      "SELECT user_id, sum(total_amount)::text AS spend FROM orders WHERE status <> 'cancelled' GROUP BY user_id ORDER BY sum(total_amount) DESC, user_id LIMIT 3",
    );
    expect(s.top_customers.map((c: { user_id: number; spend: string }) => ({ user_id: c.user_id, spend: c.spend }))).toEqual(top);
    const byStatus = await db.query(
      'SELECT o.status::text AS status, count(*)::int AS count, sum(o.total_amount)::text AS revenue FROM orders o GROUP BY o.status ORDER BY o.status',
    );
    expect(s.status_breakdown).toEqual(byStatus);
    const months = await db.query<{ month: string; orders: number; revenue: string }>(
      "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS orders, sum(total_amount)::text AS revenue FROM orders WHERE status <> 'cancelled' GROUP BY 1 ORDER BY 1",
    );
    expect(s.revenue_by_month).toEqual(months);
  });

  it('rejects each invalid parameter with a 400 problem+json naming it', async () => {
    const cases: [string, string][] = [
      ['/orders?limit=-1', 'limit'],
      ['/orders?limit=abc', 'limit'],
      ['/orders?skip=-5', 'skip'],
      ['/orders?user_id=abc', 'user_id'],
      ['/orders?status=lost', 'status'],
      ['/orders?created_after=yesterday', 'created_after'],
      ['/orders?min_total=-3', 'min_total'],
      ['/orders?sort=price', 'sort'],
      ['/orders?colour=red', 'colour'],
      ['/orders?limit=5&limit=6', 'limit'],
      ['/orders/abc', 'id'],
      ['/orders/stats/summary?top=0', 'top'],
    ];
    for (const [url, parameter] of cases) {
      const r = await get(url);
      expect(r.status, url).toBe(400);
      expect(r.type, url).toMatch(/^application\/problem\+json/);
      expect(
        r.body.errors.map((e: { parameter: string }) => e.parameter),
        url,
      ).toEqual([parameter]);
      expect(r.body.title).toBe('Invalid request parameters');
    }
  });

  it('an injection attempt in status is rejected and changes nothing', async () => {
    for (const attack of ["delivered' OR '1'='1", "delivered'; DROP TABLE orders; --", 'delivered) OR (1=1']) {
      const r = await get(`/orders?status=${encodeURIComponent(attack)}`);
      expect(r.status).toBe(400);
      expect(r.body.errors[0].parameter).toBe('status');
    }
    expect(await sqlCount('true')).toBe(200);
    expect((await get('/orders')).body.total).toBe(200);
  });

  it('is read-only and answers unknown routes with 404 problems', async () => {
    const post = await get('/orders', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const unknown = await get('/customers');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/^application\/problem\+json/);
  });

  it('serves CORS headers only to configured origins', async () => {
    expect((await get('/orders?limit=1', { headers: { origin: 'http://app.test' } })).headers.get('access-control-allow-origin')).toBe(
      'http://app.test',
    );
    expect(
      (await get('/orders?limit=1', { headers: { origin: 'http://evil.test' } })).headers.get('access-control-allow-origin'),
    ).toBeNull();
    const preflight = await get('/trpc/orders.list', {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(preflight.headers.get('access-control-allow-methods')?.split(/,\s*/)).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('/openapi.json is a valid OpenAPI 3.1 document listing every route; /docs renders from local assets', async () => {
    const doc = (await get('/openapi.json')).body;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/',
      '/health',
      '/orders',
      '/orders/stats/summary',
      '/orders/{id}',
      '/tables/orders',
      '/tables/orders/{id}',
    ]);
    expect(doc.paths['/orders'].get.parameters.map((x: { name: string }) => x.name)).toEqual([
      'skip',
      'limit',
      'status',
      'user_id',
      'created_after',
      'created_before',
      'min_total',
      'max_total',
      'sort',
    ]);
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('<div id="swagger-ui">');
    for (const asset of ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/docs/init.js']) {
      const r = await fetch(api.url + asset);
      expect(r.status, asset).toBe(200);
      expect((await r.text()).length, asset).toBeGreaterThan(20);
    }
    expect(docs.body).not.toMatch(/https?:\/\//); // nothing from a CDN
  });

  it('the typed tRPC client gets the same data as REST, and typed errors', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${api.url}/trpc` })] });
    const [page, order, stats] = await Promise.all([
      client.orders.list.query({ limit: 5, status: 'delivered', sort: '-total_amount' }),
      client.orders.byId.query({ id: 7 }),
      client.orders.stats.query({ top: 2 }),
    ]);
    expect(page).toEqual((await get('/orders?limit=5&status=delivered&sort=-total_amount')).body);
    expect(order).toEqual((await get('/orders/7')).body);
    expect(stats).toEqual((await get('/orders/stats/summary?top=2')).body);
    const missing = await client.orders.byId.query({ id: 123456 }).catch((e) => e);
    expect(missing).toBeInstanceOf(TRPCClientError);
    expect(missing.data.code).toBe('NOT_FOUND');
    const invalid = await client.orders.list.query({ limit: 101 }).catch((e) => e);
    expect(invalid.data.code).toBe('BAD_REQUEST');
    expect(invalid.data.issues).toEqual([{ parameter: 'limit', message: 'limit must be between 1 and 100' }]);
  });

  it('the shipped client example runs against the server', async () => {
    const result = await showcase(api.url);
    expect(result.delivered).toBe(await sqlCount("status = 'delivered'"));
    expect(result.top5).toHaveLength(5);
    expect(result.biggest?.items.length).toBeGreaterThan(0);
    expect(result.revenue).toBe((await get('/orders/stats/summary')).body.revenue);
    // its batches fit the server's limits: 25 calls at once are split into batches the server accepts
    expect(BATCH_LIMITS).toEqual({ maxItems: LIMITS.maxBatchCalls, maxURLLength: LIMITS.maxUrlBytes });
    const client = ordersClient(api.url);
    const orders = await Promise.all(Array.from({ length: 25 }, (_, i) => client.orders.byId.query({ id: i + 1 })));
    expect(orders.map((o) => o.id)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('when the database goes away: /health 503, other routes 503 with Retry-After, without internals', async () => {
    await db.close();
    const health = await get('/health');
    expect(health.status).toBe(503);
    expect(health.type).toMatch(/^application\/problem\+json/);
    const orders = await get('/orders');
    expect(orders.status).toBe(503);
    expect(orders.headers.get('retry-after')).toBe('5');
    const { request_id, detail, ...rest } = orders.body;
    expect(rest).toEqual({ type: 'https://ecom.dev/problems/unavailable', title: 'Service unavailable', status: 503, instance: '/orders' });
    expect(request_id).toBe(orders.headers.get('x-request-id'));
    expect(detail).toBe(
      `the database is unavailable: ${backend.name === 'pglite' ? 'the embedded database is closed' : "the server's database connections are closed"}`,
    );
  });
});

describe('CORS origins', () => {
  let env: Awaited<ReturnType<(typeof backends)[number]['fresh']>>;
  beforeAll(async () => {
    env = await backends.find((b) => b.name === 'pglite')!.fresh();
  });
  afterAll(async () => {
    await env.db.close().catch(() => {});
    await env.drop();
  });
  const allowOrigin = async (corsOrigins: string[] | undefined) => {
    const api = await startServer({
      db: env.db,
      model: loadModel('ecommerce_model.json'),
      port: 0,
      host: '127.0.0.1',
      logger: silent,
      ...(corsOrigins ? { corsOrigins } : {}),
    });
    try {
      const get = await fetch(`${api.url}/health`, { headers: { origin: 'http://any.test' } });
      const preflight = await fetch(`${api.url}/orders`, {
        method: 'OPTIONS',
        headers: { origin: 'http://any.test', 'access-control-request-method': 'GET' },
      });
      return { get: get.headers.get('access-control-allow-origin'), preflight: preflight.headers.get('access-control-allow-origin') };
    } finally {
      await api.close();
    }
  };

  it("'*' allows any origin", async () => {
    expect(await allowOrigin(['*'])).toEqual({ get: '*', preflight: '*' });
  });

  it('none by default', async () => {
    expect(await allowOrigin(undefined)).toEqual({ get: null, preflight: null });
  });
});
