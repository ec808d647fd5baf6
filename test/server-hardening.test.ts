// Regression tests for issue 10's table (rows 1-15) and the HTTP conveniences, on both backends,
// against a real server over real HTTP.
import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../src/server/limits.ts';
import { startServer } from '../src/server/server.ts';
import { seededApi, rawRequest, fetchReply, type SeededApi } from './helpers/api.ts';
import { backends, PG_ADMIN_URL } from './helpers/databases.ts';

const QUERY_TIMEOUT_MS = 1000;
const trpcPath = (procedure: string, input: unknown) => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

describe.each(backends)('API hardening on $name', (backend) => {
  let s: SeededApi;
  const get = (path: string, init?: RequestInit) => s.get(path, init);
  const trpc = (procedure: string, input: unknown) => get(trpcPath(procedure, input));

  beforeAll(async () => {
    s = await seededApi(backend, { queryTimeoutMs: QUERY_TIMEOUT_MS, corsOrigins: ['http://app.test'] });
  });
  afterAll(() => s.close());

  /** Holds an ACCESS EXCLUSIVE lock on orders until the returned function is called (PGlite: its one connection, in a transaction). */
  async function lockOrders(): Promise<() => Promise<void>> {
    if (backend.name === 'pglite') {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const tx = s.env.db.transaction(async (t) => {
        await t.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
        locked();
        await held;
      });
      await isLocked;
      return async () => {
        release();
        await tx;
      };
    }
    const client = new pg.Client({ connectionString: s.env.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
    };
  }

  it('row 1: an unexpected error is a generic 500 / INTERNAL_SERVER_ERROR with a request id on both protocols; the cause only in the log', async () => {
    await s.env.db.query('ALTER TABLE order_items RENAME TO order_items_gone');
    try {
      const rest = await get('/orders/7', { headers: { 'x-request-id': 'row1-rest' } });
      const viaTrpc = await get(trpcPath('orders.byId', { id: 7 }), { headers: { 'x-request-id': 'row1-trpc' } });
      expect(rest.status).toBe(500);
      expect(rest.type).toMatch(/^application\/problem\+json/);
      expect(rest.body).toMatchObject({ title: 'Internal server error', request_id: 'row1-rest' });
      expect(viaTrpc.status).toBe(500);
      expect(viaTrpc.body.error.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', request_id: 'row1-trpc' });
      expect(viaTrpc.body.error.message).toBe(rest.body.detail);
      for (const r of [rest, viaTrpc]) {
        expect(r.text).not.toMatch(/order_items|prisma|invocation|\.ts|at .*:\d+|P20\d\d|42P01|stack/i);
      }
      // the details are in the server log, under each request id
      for (const id of ['row1-rest', 'row1-trpc']) {
        const line = s.logs.find((l) => l.request_id === id && l.level === 50);
        expect(JSON.stringify(line?.err), id).toMatch(/order_items/);
      }
    } finally {
      await s.env.db.query('ALTER TABLE order_items_gone RENAME TO order_items');
    }
    expect((await get('/orders/7')).status).toBe(200);
  });

  it('row 2: ids and user_id outside int4 are a 400 naming the parameter on REST and tRPC; the edge is a 404', async () => {
    for (const path of ['/orders/2147483648', '/orders/9007199254740991', '/orders/0']) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.errors, path).toEqual([{ parameter: 'id', message: 'id must be between 1 and 2147483647' }]);
    }
    const user = await get('/orders?user_id=2147483648');
    expect(user.body.errors).toEqual([{ parameter: 'user_id', message: 'user_id must be between 1 and 2147483647' }]);
    expect((await get('/orders/2147483647')).status).toBe(404);
    expect((await get('/orders?user_id=2147483647')).body.total).toBe(0);
    const t = await trpc('orders.byId', { id: 2147483648 });
    expect(t.status).toBe(400);
    expect(t.body.error.data.issues).toEqual([{ parameter: 'id', message: 'id must be between 1 and 2147483647' }]);
    expect((await trpc('orders.byId', { id: 2147483647 })).body.error.data.code).toBe('NOT_FOUND');
  });

  it(`row 3: a tRPC batch holds at most ${LIMITS.maxBatchCalls} calls; a bigger one is refused at once and /health stays up`, async () => {
    const batch = (n: number) => {
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { limit: 100 }]));
      return `/trpc/${Array(n).fill('orders.list').join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
    };
    const ok = await get(batch(LIMITS.maxBatchCalls));
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(LIMITS.maxBatchCalls);
    const over = await get(batch(LIMITS.maxBatchCalls + 1));
    expect(over.status).toBe(400);
    expect(JSON.stringify(over.body)).toContain(`a batch may hold at most ${LIMITS.maxBatchCalls} calls`);
    // 300 calls still fit in the URL: refused before any call runs, while /health answers; 600 do not fit (414)
    const calls = (n: number) => `/trpc/${Array(n).fill('orders.list').join(',')}?batch=1`;
    const [many, health] = await Promise.all([get(calls(300)), get('/health')]);
    expect(many.status).toBe(400);
    expect(many.text.length).toBeLessThan(2000);
    expect(health.status).toBe(200);
    expect((await get(calls(600))).status).toBe(414);
  });

  it('row 4: dates PostgreSQL rejects (year 0, before 0001-01-01 UTC through an offset) are a 400; the extremes it accepts work', async () => {
    for (const value of ['0000-01-01', '0000-12-31T23:59:59Z', '0001-01-01T00:00:00+01:00']) {
      const r = await get(`/orders?created_after=${encodeURIComponent(value)}`);
      expect(r.status, value).toBe(400);
      expect(r.body.errors, value).toEqual([
        { parameter: 'created_after', message: 'created_after must fall between 0001-01-01 and 9999-12-31 UTC (PostgreSQL has no year 0)' },
      ]);
      expect((await trpc('orders.list', { created_before: value })).status, value).toBe(400);
    }
    expect((await get('/orders?created_after=0001-01-01&created_before=9999-12-31T23:59:59.999Z')).body.total).toBe(200);
    expect((await trpc('orders.list', { created_after: '0001-01-01T00:00:00Z' })).body.result.data.total).toBe(200);
  });

  it('row 5: a malformed percent-escape anywhere in the URL is a 400 problem, not a 500', async () => {
    for (const path of ['/orders/%FF', '/orders/%E0%A4%A', '/orders?status=%ZZ', '/orders/stats/summary?top=%', '/trpc/orders.list%C0']) {
      const r = await rawRequest(s.api.url, path);
      expect(r.status, path).toBe(400);
      expect(r.headers['content-type'], path).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(r.body).detail, path).toMatch(/^the URL has a malformed percent-escape "%/);
    }
    // well-formed escapes are decoded as usual
    expect((await get('/orders/%34%32')).body.id).toBe(42);
  });

  it('row 7: once close() begins, responses in flight finish with Connection: close and the port stops accepting', async () => {
    const second = await startServer({
      db: s.db,
      model: s.api.api.model,
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      queryTimeoutMs: 5000,
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const { port } = new URL(second.url);
    const call = (via: Agent | false = agent) =>
      new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/orders?limit=5', agent: via }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on('error', reject);
        req.end();
      });
    expect((await call()).connection).toBe('keep-alive');
    const release = await lockOrders();
    const inflight = [call(), call(), call(), call()];
    await new Promise((r) => setTimeout(r, 200));
    const closing = second.close();
    await new Promise((r) => setTimeout(r, LIMITS.shutdownAcceptMs + 50));
    await expect(call(false)).rejects.toThrow(/ECONNREFUSED/);
    await release();
    expect(await Promise.all(inflight)).toEqual(Array(4).fill({ status: 200, connection: 'close' }));
    await closing;
    agent.destroy();
  });

  it('row 8: other methods are a 405 problem with Allow, on every kind of path; OPTIONS says what is allowed', async () => {
    for (const [method, path] of [
      ['DELETE', '/orders/1'],
      ['POST', '/orders'],
      ['PUT', '/health'],
      ['PATCH', '/openapi.json'],
      ['POST', '/trpc/orders.list'],
      ['DELETE', '/trpc/orders.list'],
    ] as const) {
      const r = await get(path, { method });
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.headers.get('allow'), `${method} ${path}`).toBe('GET, HEAD, OPTIONS');
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body.detail).toBe(`${method} is not allowed: this API is read-only (GET, HEAD, OPTIONS)`);
    }
    const options = await get('/orders/stats/summary', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
  });

  it('row 9: amounts are decimal strings with at most 2 decimals on REST and tRPC alike; 1e3, 100.123 and numbers are refused', async () => {
    const message = (p: string) =>
      `${p} must be a non-negative amount as a string of digits with at most 2 decimals, such as "100" or "99.50"`;
    for (const value of ['1e3', '100.123', '-3', '1,000', '.5', '1.', ' 100', '0x10', '01']) {
      const r = await get(`/orders?max_total=${encodeURIComponent(value)}`);
      expect(r.status, value).toBe(400);
      expect(r.body.errors, value).toEqual([{ parameter: 'max_total', message: message('max_total') }]);
      const t = await trpc('orders.list', { max_total: value });
      expect(t.body.error.data.issues, value).toEqual(r.body.errors);
    }
    for (const value of [1000, 1e3, 99.5]) {
      const t = await trpc('orders.list', { min_total: value });
      expect(t.body.error.data.issues, String(value)).toEqual([{ parameter: 'min_total', message: message('min_total') }]);
    }
    const rest = await get('/orders?min_total=100.5&max_total=1000&limit=100');
    const viaTrpc = await trpc('orders.list', { min_total: '100.5', max_total: '1000', limit: 100 });
    expect(rest.status).toBe(200);
    expect(viaTrpc.body.result.data).toEqual(rest.body);
    expect(rest.body.total).toBeGreaterThan(0);
  });

  it('row 10: integer parameters take canonical decimal digits only, each refusal saying why', async () => {
    const cases: [string, string, string][] = [
      [
        '/orders/0x51',
        'id',
        'id must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as 42 (got "0x51")',
      ],
      [
        '/orders/1e1',
        'id',
        'id must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as 42 (got "1e1")',
      ],
      [
        '/orders/+5',
        'id',
        'id must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as 42 (got "+5")',
      ],
      [
        '/orders/5.0',
        'id',
        'id must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as 42 (got "5.0")',
      ],
      [
        '/orders/007',
        'id',
        'id must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as 42 (got "007")',
      ],
      ['/orders/%201', 'id', 'id must not contain spaces (got " 1")'],
      ['/orders?skip=', 'skip', 'skip is empty: give an integer such as 0, or leave skip out'],
      ['/orders?limit=%201', 'limit', 'limit must not contain spaces (got " 1")'],
      [
        '/orders?limit=1e1',
        'limit',
        'limit must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as 20 (got "1e1")',
      ],
      [
        '/orders?skip=-0',
        'skip',
        'skip must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as 0 (got "-0")',
      ],
      ['/orders?skip=-5', 'skip', 'skip must be between 0 and 2147483647'],
      ['/orders?skip=99999999999999999999999', 'skip', 'skip must be between 0 and 2147483647'],
      [
        '/orders/stats/summary?top=5.5',
        'top',
        'top must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as 5 (got "5.5")',
      ],
    ];
    for (const [path, parameter, message] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.errors, path).toEqual([{ parameter, message }]);
    }
    // tRPC: the same text is read the same way; JSON numbers must be integers
    expect((await trpc('orders.byId', { id: '0x51' })).body.error.data.issues[0].message).toBe(cases[0]![2]);
    expect((await trpc('orders.byId', { id: 4.5 })).body.error.data.issues).toEqual([
      { parameter: 'id', message: 'id must be an integer' },
    ]);
    expect((await trpc('orders.byId', { id: '42' })).body.result.data.id).toBe(42);
    expect((await get('/orders/81')).body.id).toBe(81);
  });

  it('row 11: every route refuses unknown query parameters, naming what it takes, and ignores the _ cache-buster', async () => {
    const routes: [string, string][] = [
      ['/', 'this route takes no parameters'],
      ['/health', 'this route takes no parameters'],
      ['/orders', 'this route takes skip, limit, status, user_id, created_after, created_before, min_total, max_total, sort'],
      ['/orders/42', 'this route takes id'],
      ['/orders/stats/summary', 'this route takes top'],
    ];
    for (const [path, takes] of routes) {
      const busted = await get(`${path}?_=1700000000000`);
      expect(busted.status, path).toBe(200);
      const r = await get(`${path}?colour=red`);
      expect(r.status, path).toBe(400);
      expect(r.body.errors, path).toEqual([{ parameter: 'colour', message: `unknown parameter "colour" (${takes})` }]);
    }
    expect((await get('/orders/42?id=43')).body.errors).toEqual([
      { parameter: 'id', message: 'id is part of the path; leave it out of the query string' },
    ]);
  });

  it('row 12: CORS varies by Origin on every response, refuses a foreign preflight with a clean 403, and lets browsers cache preflights', async () => {
    for (const headers of [{}, { origin: 'http://evil.test' }, { origin: 'http://app.test' }] as Record<string, string>[]) {
      for (const path of ['/orders?limit=1', '/health', trpcPath('orders.byId', { id: 1 }), '/nowhere']) {
        const r = await get(path, { headers });
        expect(r.headers.get('vary')?.split(/,\s*/), `${path} ${JSON.stringify(headers)}`).toContain('Origin');
      }
    }
    for (const path of ['/trpc/orders.list', '/orders']) {
      const refused = await get(path, {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.test', 'access-control-request-method': 'GET' },
      });
      expect(refused.status, path).toBe(403);
      expect(refused.type).toMatch(/^application\/problem\+json/);
      expect(
        [...refused.headers.keys()].filter((k) => k.startsWith('access-control-allow')),
        path,
      ).toEqual([]);
    }
    const allowed = await get('/trpc/orders.list', {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'GET' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-max-age')).toBe(String(LIMITS.corsMaxAgeSeconds));
    const read = await get('/orders?limit=1', { headers: { origin: 'http://app.test' } });
    expect(read.headers.get('access-control-expose-headers')?.split(',')).toEqual(['X-Request-Id', 'X-Total-Count', 'Link', 'Retry-After']);
  });

  it('row 13: the OpenAPI document is valid and states id ranges, formats, money patterns, examples, and 500/503', async () => {
    const doc = (await get('/openapi.json')).body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('9007199254740991');
    const id = doc.paths['/orders/{id}'].get.parameters[0];
    expect(id).toMatchObject({ in: 'path', required: true, example: 42, schema: { type: 'integer', minimum: 1, maximum: 2147483647 } });
    const summary = doc.components.schemas.OrderPage.properties.items.items.properties;
    expect(summary.id).toMatchObject({ minimum: 1, maximum: 2147483647 });
    expect(summary.created_at).toMatchObject({ type: 'string', format: 'date-time' });
    expect(summary.total_amount).toMatchObject({ type: 'string', pattern: '^(0|[1-9][0-9]*)\\.[0-9]{2}$', examples: ['129.90'] });
    const list = doc.paths['/orders'].get;
    const param = (name: string) => list.parameters.find((p: { name: string }) => p.name === name);
    expect(param('limit')).toMatchObject({ example: 20, schema: { default: 50, minimum: 1, maximum: 100 } });
    expect(param('max_total').schema).toMatchObject({ type: 'string', pattern: '^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,2})?$' });
    expect(param('created_after').schema.anyOf.map((s: { format: string }) => s.format)).toEqual(['date', 'date-time']);
    for (const [path, ops] of Object.entries(doc.paths) as [string, { get: { responses: Record<string, unknown> } }][]) {
      const statuses = Object.keys(ops.get.responses);
      expect(statuses, path).toEqual(expect.arrayContaining(['200', '400', '500']));
      if (path !== '/') expect(statuses, path).toContain('503');
    }
    expect(list.responses['503'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/Retry-After' });
    expect(list.responses['200'].headers).toHaveProperty('X-Total-Count');
    expect(list['x-trpc-procedure']).toBe('orders.list');
  });

  it('row 14: with orders locked, /orders, tRPC and /health answer a 503 with Retry-After within the query timeout; PostgreSQL cancels the statement', async () => {
    const release = await lockOrders();
    try {
      const started = performance.now();
      const [list, viaTrpc, health] = await Promise.all([get('/orders'), trpc('orders.byId', { id: 1 }), get('/health')]);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(QUERY_TIMEOUT_MS + 1500);
      for (const r of [list, health]) {
        expect(r.status).toBe(503);
        expect(r.headers.get('retry-after')).toBe(String(LIMITS.retryAfterSeconds));
        // the response deadline, or PostgreSQL's statement_timeout when it fires first
        expect(r.body.detail).toMatch(/^the database (did not answer within 1 s|is unavailable: a query ran past the statement timeout)$/);
      }
      expect(viaTrpc.status).toBe(503);
      expect(viaTrpc.body.error.data.code).toBe('SERVICE_UNAVAILABLE');
      expect(viaTrpc.headers.get('retry-after')).toBe(String(LIMITS.retryAfterSeconds));
      if (backend.name === 'postgres') {
        // statement_timeout cancelled the server's statements: none still waits for the lock
        await new Promise((r) => setTimeout(r, 300));
        const waiting = await s.env.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        expect(waiting[0]!.n).toBe(0);
      }
    } finally {
      await release();
    }
    expect((await get('/health')).status).toBe(200);
    expect((await get('/orders')).status).toBe(200);
  });

  it('row 15: tRPC validation errors have a readable message and the issues in data; 414 and 431 are problem documents', async () => {
    const t = await trpc('orders.list', { limit: 101, colour: 'red' });
    expect(t.body.error.message).toBe(
      'limit must be between 1 and 100; unknown parameter "colour" (this route takes skip, limit, status, user_id, created_after, created_before, min_total, max_total, sort)',
    );
    expect(t.body.error.data.issues.map((i: { parameter: string }) => i.parameter)).toEqual(['limit', 'colour']);
    const long = await rawRequest(s.api.url, `/orders?sort=${'id,'.repeat(LIMITS.maxUrlBytes / 3)}id`);
    expect(long.status).toBe(414);
    expect(long.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(long.body).detail).toMatch(/^the URL has \d+ bytes; at most 4096 are accepted/);
    const big = await rawRequest(s.api.url, '/health', { headers: { 'x-padding': 'x'.repeat(LIMITS.maxHeaderBytes) } });
    expect(big.status).toBe(431);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(big.body)).toMatchObject({ status: 431, detail: `the request headers exceed ${LIMITS.maxHeaderBytes} bytes` });
    expect(big.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists carry X-Total-Count and RFC 8288 Link next/prev that walk the same pages as skip/limit', async () => {
    const first = await get('/orders?sort=id&limit=80&status=delivered');
    const total = first.body.total;
    expect(first.headers.get('x-total-count')).toBe(String(total));
    const next = (r: Awaited<ReturnType<typeof get>>, rel: string) =>
      [...(r.headers.get('link') ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)].find((m) => m[2] === rel)?.[1];
    expect(next(first, 'prev')).toBeUndefined();
    const ids: number[] = first.body.items.map((o: { id: number }) => o.id);
    let page = first;
    for (let link = next(page, 'next'); link; link = next(page, 'next')) {
      expect(link).toMatch(/^\/orders\?sort=id&limit=80&status=delivered&skip=\d+$/);
      page = await get(link);
      ids.push(...page.body.items.map((o: { id: number }) => o.id));
      expect(next(page, 'prev')).toBeDefined();
    }
    expect(ids).toEqual([...new Set(ids)]);
    expect(ids).toHaveLength(total);
    const back = await get(next(page, 'prev')!);
    expect(back.body.skip).toBe(page.body.skip - 80);
  });

  it('every response has an X-Request-Id (a sane one sent is kept) that is also in its log line', async () => {
    const mine = await get('/orders?limit=1', { headers: { 'x-request-id': 'client-42.abc' } });
    expect(mine.headers.get('x-request-id')).toBe('client-42.abc');
    const insane = await get('/orders?limit=1', { headers: { 'x-request-id': 'a b"<script>' } });
    const generated = insane.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const other = await get('/nowhere');
    expect(other.body.request_id).toBe(other.headers.get('x-request-id'));
    const trpcUrl = `/trpc/orders.byId?input=${encodeURIComponent(JSON.stringify({ id: 1 }))}`;
    const trpc = await get(trpcUrl);
    await new Promise((r) => setTimeout(r, 20));
    for (const [id, url] of [
      ['client-42.abc', '/orders?limit=1'],
      [generated, '/orders?limit=1'],
      [trpc.headers.get('x-request-id')!, trpcUrl], // the URL as received, not as Express rewrites it under /trpc
    ]) {
      expect(
        s.logs.find((l) => l.msg === 'request' && l.request_id === id),
        id,
      ).toMatchObject({ method: 'GET', url, status: 200 });
    }
  });

  it('gzip, Cache-Control, security headers and HEAD', async () => {
    const bundle = await rawRequest(s.api.url, '/docs/assets/swagger-ui-bundle.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(bundle.headers['content-encoding']).toBe('gzip');
    const unzipped = gunzipSync(Buffer.from(bundle.body, 'latin1'));
    expect(unzipped.length).toBeGreaterThan(1_000_000);
    expect(bundle.body.length).toBeLessThan(unzipped.length / 2);
    expect(bundle.headers['cache-control']).toBe('public, max-age=3600');
    const list = await rawRequest(s.api.url, '/orders?limit=100', { headers: { 'accept-encoding': 'gzip' } });
    expect(list.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(list.body, 'latin1')).toString()).items).toHaveLength(100);
    expect(list.headers['cache-control']).toBe('no-cache');
    // without Accept-Encoding the body goes as is, still marked as depending on it; JSON gets nosniff but none of the page policies
    const plain = await rawRequest(s.api.url, '/orders?limit=100');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body).items).toHaveLength(100);
    expect(plain.headers.vary).toContain('Accept-Encoding');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(plain.headers['content-security-policy']).toBeUndefined();
    expect((await get('/health')).headers.get('cache-control')).toBe('no-store');
    expect((await get('/orders/0')).headers.get('cache-control')).toBe('no-store');
    const docs = await get('/docs');
    const csp = docs.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-|upgrade-insecure-requests/);
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
    expect(docs.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(docs.headers.get('strict-transport-security')).toBeNull();
    const head = await fetchReply(`${s.api.url}/orders?limit=3`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('x-total-count')).toBe('200');
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength((await get('/orders?limit=3')).text)));
  });

  it('data answers carry an ETag; a client that has the body gets a 304 unless it asks to skip caches', async () => {
    // node:http, not fetch: fetch adds Cache-Control: no-cache to a request with If-None-Match
    const first = await rawRequest(s.api.url, '/orders/42');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    const again = await rawRequest(s.api.url, '/orders/42', { headers: { 'if-none-match': `"x", ${etag}` } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['x-request-id']).toBeTruthy();
    const forced = await rawRequest(s.api.url, '/orders/42', { headers: { 'if-none-match': etag, 'cache-control': 'no-cache' } });
    expect(forced.status).toBe(200);
    expect(forced.body).toBe(first.body);
    expect((await rawRequest(s.api.url, '/orders/43', { headers: { 'if-none-match': etag } })).status).toBe(200);
    const page = await rawRequest(s.api.url, '/orders?limit=2', { headers: { 'if-none-match': '*' } });
    expect(page.status).toBe(304);
    expect(page.headers['x-total-count']).toBe('200');
  });

  it('route paths match as Express matched them: any case, an optional trailing slash, percent-decoded parameters', async () => {
    const order = (await get('/orders/42')).body;
    for (const path of ['/Orders/42', '/orders/42/', '/orders/%34%32', '/TABLES/orders/42/']) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.body.id, path).toBe(42);
    }
    expect((await get('/orders/42/')).body).toEqual(order);
    expect((await get('/orders/')).body.items).toHaveLength(50);
    expect((await get('/orders//')).status).toBe(404);
    expect((await get('/orders/42/x')).status).toBe(404);
  });
});

describe.each(backends)('when the database becomes unreachable on $name', (backend) => {
  let s: SeededApi;
  let dbName: string;
  beforeAll(async () => {
    s = await seededApi(backend, { queryTimeoutMs: 3000 }, { seeded: false });
    dbName = s.env.url ? new URL(s.env.url).pathname.slice(1) : '';
  });
  afterAll(() => s.close());

  /** Really cuts the server off: PostgreSQL refuses connections to its database and ends the open ones; PGlite is closed. */
  async function cutOff(allow: boolean) {
    if (backend.name === 'pglite') return void (allow || (await s.env.db.close()));
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS ${allow}`);
      if (!allow) await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [dbName]);
    } finally {
      await admin.end();
    }
  }

  it('row 6: /health is a 503 with the reason, data routes 503 with Retry-After on both protocols, no internals; PostgreSQL recovers', async () => {
    expect((await s.get('/health')).status).toBe(200);
    await cutOff(false);
    const reason = backend.name === 'pglite' ? 'the embedded database is closed' : 'the database does not accept connections';
    const health = await s.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.detail).toBe(`the database is unavailable: ${reason}`);
    for (const path of ['/orders', '/orders/1', '/orders/stats/summary', trpcPath('orders.list', {})]) {
      const r = await s.get(path);
      expect(r.status, path).toBe(503);
      expect(r.headers.get('retry-after'), path).toBe(String(LIMITS.retryAfterSeconds));
      expect(r.text, path).toContain(`the database is unavailable: ${reason}`);
      expect(r.text, path).not.toMatch(new RegExp(`${dbName || 'pglite'}|127\\.0\\.0\\.1|55000|FATAL|prisma`, 'i'));
    }
    expect((await s.get('/')).status).toBe(200); // no database needed
    if (backend.name === 'postgres') {
      await cutOff(true);
      expect((await s.get('/health')).status).toBe(200);
      expect((await s.get('/orders')).body.total).toBe(0);
    }
  });
});
