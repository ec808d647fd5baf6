// npm run bench:api [-- --rows 1000000 --duration 10 --connections 50 --backends postgres,pglite]:
// requests/s and latency of the API (a real `ecom serve` process, autocannon on loopback) for the
// default data and for --rows rows, on PostgreSQL (DATABASE_URL's server, scratch database) and on
// PGlite. On PostgreSQL a bare Node http + pg server (bare-server.ts) runs the same SQL for the
// generated list and by-id routes, and ecom's throughput, p99 and server CPU time per request are
// reported as ratios to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { connect, type ConnectOptions } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { benchMigrations } from './migrations.ts';
import { createScratchDatabase } from '../src/db/scratch.ts';
import { loadModel } from '../src/model/load.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { pino } from 'pino';
import { buildApi } from '../src/server/api.ts';
import { createApiContext } from '../src/server/context.ts';
import { runRoute } from '../src/server/invoke.ts';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import type { CapturedSql } from './bare-server.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    backends: { type: 'string', default: 'postgres,pglite' },
  },
});
const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const model = loadModel('ecommerce_model.json');
const defaultRows = model.tables.reduce((a, t) => a + t.count, 0);
const work = mkdtempSync(join(tmpdir(), 'ecom-api-bench-'));
const log = (s: string) => process.stderr.write(s + '\n');

async function prepare(target: ConnectOptions, rows: number): Promise<number> {
  const db = await connect(target);
  try {
    await migrate(db, benchMigrations(work));
    const counts = plannedCounts(model, rows / defaultRows);
    await seed(db, model, { seed: 42, counts, out: join(work, 'out') });
    // statistics and a visibility map now, not from autovacuum in the middle of a measurement
    await db.exec('VACUUM ANALYZE');
    return counts.orders!;
  } finally {
    await db.close();
  }
}

/** An id no row has: its place among a query's parameters is where the by-id query takes the id. */
const PROBE_ID = 987_654_321;

/** The SQL Prisma runs for the generated orders list and by-id routes, from its query log. */
async function captureSql(url: string): Promise<CapturedSql> {
  const db = await connect({ url });
  const prisma = new PrismaClient({ adapter: db.adapter(), log: [{ emit: 'event', level: 'query' }] });
  const queries: { sql: string; params: unknown[] }[] = [];
  prisma.$on('query', (e) => queries.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] }));
  try {
    const api = await buildApi(model, prisma, { cacheMs: 0 });
    const ctx = createApiContext({ prisma, info: { name: 'bench', version: '', dataSource: '' }, logger: pino({ level: 'silent' }) });
    const run = (operationId: string, input: unknown) => {
      const route = api.routes.find((r) => r.operationId === operationId)!;
      return runRoute(route, ctx, route.input!.parse(input));
    };
    await run('tables.orders.list', { limit: '50' });
    const [count, page] = [queries.find((q) => /count\(/i.test(q.sql))!, queries.find((q) => !/count\(/i.test(q.sql))!];
    queries.length = 0;
    await run('tables.orders.get', { id: String(PROBE_ID) }).catch(() => {}); // 404: no such row
    const get = queries[0]!;
    return { list: { count, page }, get: { ...get, idParam: get.params.indexOf(PROBE_ID) } };
  } finally {
    await prisma.$disconnect();
    await db.close();
  }
}

/** A server process; resolves with its URL once it says where it listens. */
async function serve(
  env: Record<string, string>,
  args = ['bin/run.js', 'serve', '--port', '0'],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(err)));
  });
  child.once('exit', (code) => code !== 0 && code !== null && log(`${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`));
  return { url, child };
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  /** The server process's CPU time (user + system) per request: what throughput becomes once the machine is busy. */
  cpu_ms_per_request?: number;
}

/**
 * CPU time a process has used, in ms, from /proc (Linux; utime + stime in clock ticks of 10 ms); undefined elsewhere.
 * Unlike requests/s it hardly depends on what else the machine runs, so it compares servers on a loaded machine.
 */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Seconds of load before each measurement, not counted: JIT, connection pools, PostgreSQL's buffers. */
const WARM_UP_S = 2;

async function load(
  { url, child }: { url: string; child: ChildProcess },
  path: string,
  orders: number,
  duration = Number(values.duration),
): Promise<Result> {
  const byId = path.includes('{id}');
  const cpuBefore = cpuMs(child.pid);
  const r = await autocannon({
    url,
    connections: Number(values.connections),
    duration,
    requests: [
      {
        method: 'GET',
        path: path.replace('{id}', '1'),
        ...(byId
          ? {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                path: path.replace('{id}', String(1 + Math.floor(Math.random() * orders))),
              }),
            }
          : {}),
      },
    ],
  });
  const cpuAfter = cpuMs(child.pid);
  return {
    ...(cpuBefore !== undefined && cpuAfter !== undefined && r.requests.total > 0
      ? { cpu_ms_per_request: Math.round(((cpuAfter - cpuBefore) / r.requests.total) * 1000) / 1000 }
      : {}),
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
  };
}

/** The generated routes first (the bare server serves those), then the orders extension. */
const ENDPOINTS = ['/tables/orders?limit=50', '/tables/orders/{id}', '/orders?limit=50', '/orders/{id}', '/orders/stats/summary'];
const BARE_ENDPOINTS = ENDPOINTS.slice(0, 2);

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

const loadAverage = () => loadavg().map((l) => Math.round(l * 100) / 100);

async function main() {
  const results: Record<string, unknown>[] = [];
  const machine = { cpus: cpus().length, load_before: loadAverage() };
  log(`${machine.cpus} cores, load average ${machine.load_before.join(' ')}`);
  const scratch = await createScratchDatabase(serverUrl, `ecom_api_bench_${process.pid}`);
  try {
    for (const backend of values.backends.split(',') as ('postgres' | 'pglite')[]) {
      for (const rows of [defaultRows, Number(values.rows)]) {
        let env: Record<string, string>;
        let target: ConnectOptions;
        if (backend === 'postgres') {
          await scratch.recreate();
          env = { DATABASE_URL: scratch.url };
          target = { url: scratch.url };
        } else {
          const dir = join(work, `pglite-${rows}`);
          env = { DATABASE_URL: '', ECOM_PGLITE_DIR: dir };
          target = { url: '', pgliteDir: dir };
        }
        const started = performance.now();
        const orders = await prepare(target, rows);
        log(`${backend}, ${rows} rows: seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        // the floor (PostgreSQL only) runs beside ecom: each endpoint is warmed up on both, then measured on ecom and
        // right after on the floor, so neither gets a colder database or a quieter machine
        const servers: { name: string; url: string; child: ChildProcess }[] = [{ name: backend, ...(await serve(env)) }];
        if (backend === 'postgres') {
          const sql = await captureSql(scratch.url);
          servers.push({
            name: 'postgres-bare',
            ...(await serve({}, ['--import', 'tsx', 'bench/bare-server.ts', JSON.stringify({ url: scratch.url, sql })])),
          });
        }
        try {
          for (const endpoint of ENDPOINTS) {
            const on = servers.filter((s) => s.name !== 'postgres-bare' || BARE_ENDPOINTS.includes(endpoint));
            for (const server of on) await load(server, endpoint, orders, WARM_UP_S);
            for (const server of on) {
              const r = await load(server, endpoint, orders);
              log(
                `  ${server.name.padEnd(13)} ${endpoint.padEnd(24)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  cpu ${r.cpu_ms_per_request ?? '?'} ms/req  errors ${r.errors}  non-2xx ${r.non2xx}`,
              );
              results.push({ backend: server.name, rows, endpoint, ...r });
            }
          }
        } finally {
          for (const server of servers) await stop(server.child);
        }
      }
    }
  } finally {
    await scratch.drop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    'bench/api-results.json',
    JSON.stringify(
      {
        machine: { ...machine, load_after: loadAverage() },
        connections: Number(values.connections),
        duration_s: Number(values.duration),
        results,
        ratios: ratios(results),
      },
      null,
      2,
    ) + '\n',
  );
  console.log(
    [
      'backend   rows      endpoint                  req/s   p50 ms  p99 ms  cpu ms/req  errors',
      ...results.map(
        (r) =>
          `${String(r.backend).padEnd(9)} ${String(r.rows).padEnd(9)} ${String(r.endpoint).padEnd(24)} ${String(r.rps).padStart(6)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}  ${String(r.cpu_ms_per_request ?? '?').padStart(10)}  ${Number(r.errors) + Number(r.non2xx)}`,
      ),
    ].join('\n'),
  );
  console.log(
    [
      '',
      `ecom / bare (same SQL), PostgreSQL, ${values.connections} connections; load average ${machine.load_before.join(' ')} before, ${loadAverage().join(' ')} after:`,
      ...ratios(results).map(
        (r) =>
          `  ${String(r.rows).padEnd(9)} ${r.endpoint.padEnd(24)} throughput ${r.throughput.toFixed(2)}x  p99 ${r.p99.toFixed(2)}x (ecom p99 ${r.ecom_p99} ms)  CPU per request ${r.cpu?.toFixed(2) ?? '?'}x`,
      ),
      '\nwritten to bench/api-results.json',
    ].join('\n'),
  );
}

/** ecom's throughput and p99 over the bare server's, per size and endpoint. */
function ratios(results: Record<string, unknown>[]) {
  return results
    .filter((r) => r.backend === 'postgres-bare')
    .map((bare) => {
      const ecom = results.find((r) => r.backend === 'postgres' && r.rows === bare.rows && r.endpoint === bare.endpoint)!;
      return {
        rows: bare.rows as number,
        endpoint: bare.endpoint as string,
        throughput: Math.round(((ecom.rps as number) / (bare.rps as number)) * 100) / 100,
        p99: Math.round(((ecom.p99 as number) / (bare.p99 as number)) * 100) / 100,
        ecom_p99: ecom.p99 as number,
        cpu:
          typeof ecom.cpu_ms_per_request === 'number' && typeof bare.cpu_ms_per_request === 'number' && bare.cpu_ms_per_request > 0
            ? Math.round((ecom.cpu_ms_per_request / bare.cpu_ms_per_request) * 100) / 100
            : undefined,
      };
    });
}

await main();
