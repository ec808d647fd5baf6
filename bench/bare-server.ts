// The floor `npm run bench:api` measures ecom against: a bare Node `http` server on a `pg` pool that
// executes the very SQL ecom's generated routes run (captured from Prisma's query log, see
// api-bench.ts) for GET /tables/orders (a page and its count, the count reused for 1 s as ecom's
// micro-cache does) and GET /tables/orders/{id} (the row with its parent and child count, one query).
// No framework, validation, logging, headers or error documents: what is left is the database and JSON.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

export interface CapturedSql {
  list: { count: { sql: string; params: unknown[] }; page: { sql: string; params: unknown[] } };
  /** The by-id query; `idParam` is the index of the id among its parameters. */
  get: { sql: string; params: unknown[]; idParam: number };
}

const { url, sql } = JSON.parse(process.argv[2]!) as { url: string; sql: CapturedSql };
const pool = new pg.Pool({ connectionString: url, max: 10 }); // ecom's pool size (src/db/postgres.ts)
let count: { value: Promise<number>; expires: number } | undefined;

function total(): Promise<number> {
  if (!count || count.expires < Date.now()) {
    const value = pool.query(sql.list.count.sql, sql.list.count.params).then((r) => Number(Object.values(r.rows[0])[0]));
    count = { value, expires: Date.now() + 1000 };
  }
  return count.value;
}

const server = createServer((req, res) => {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const path = (req.url ?? '/').split('?')[0]!;
  const byId = /^\/tables\/orders\/([1-9][0-9]{0,9})$/.exec(path);
  let work: Promise<void>;
  if (path === '/tables/orders') {
    work = Promise.all([total(), pool.query(sql.list.page.sql, sql.list.page.params)]).then(([n, page]) =>
      reply(200, { items: page.rows, total: n, skip: 0, limit: 50 }),
    );
  } else if (byId) {
    const params = sql.get.params.map((p, i) => (i === sql.get.idParam ? Number(byId[1]) : p));
    work = pool.query(sql.get.sql, params).then((r) => (r.rows[0] ? reply(200, r.rows[0]) : reply(404, { error: 'not found' })));
  } else work = Promise.resolve(reply(404, { error: 'not found' }));
  work.catch(() => reply(500, { error: 'internal' }));
});
server.listen(0, '127.0.0.1', () =>
  process.stderr.write(`bare server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`),
);
process.once('SIGTERM', () => server.close(() => void pool.end()));
