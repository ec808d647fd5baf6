// npm run bench:api [-- --rows 1000000 --duration 10 --connections 50]: requests/s and latency of
// the API (a real `ecom serve` process, autocannon on loopback) for the default data and for
// --rows rows, on PostgreSQL (DATABASE_URL's server, scratch database) and on PGlite.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { connect, type ConnectOptions } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { benchMigrations } from './migrations.ts';
import { createScratchDatabase } from '../src/db/scratch.ts';
import { loadModel } from '../src/model/load.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
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
    return counts.orders!;
  } finally {
    await db.close();
  }
}

async function serve(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/run.js', 'serve', '--port', '0'], {
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
  child.once('exit', (code) => code !== 0 && log(`ecom serve exited with ${code}: ${err.slice(-2000)}`));
  return { url, child };
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
}

async function load(url: string, path: string, orders: number): Promise<Result> {
  const byId = path.includes('{id}');
  const r = await autocannon({
    url,
    connections: Number(values.connections),
    duration: Number(values.duration),
    requests: [
      {
        method: 'GET',
        path: path.replace('{id}', '1'),
        ...(byId
          ? { setupRequest: (req: autocannon.Request) => ({ ...req, path: `/orders/${1 + Math.floor(Math.random() * orders)}` }) }
          : {}),
      },
    ],
  });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
  };
}

const ENDPOINTS = ['/orders?limit=50', '/orders/{id}', '/orders/stats/summary'];

async function main() {
  const results: Record<string, unknown>[] = [];
  const scratch = await createScratchDatabase(serverUrl, `ecom_api_bench_${process.pid}`);
  try {
    for (const backend of ['postgres', 'pglite'] as const) {
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
        const { url, child } = await serve(env);
        try {
          for (const endpoint of ENDPOINTS) {
            const r = await load(url, endpoint, orders);
            log(
              `  ${endpoint.padEnd(24)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  non-2xx ${r.non2xx}`,
            );
            results.push({ backend, rows, endpoint, ...r });
          }
        } finally {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
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
    JSON.stringify({ connections: Number(values.connections), duration_s: Number(values.duration), results }, null, 2) + '\n',
  );
  console.log(
    [
      'backend   rows      endpoint                  req/s   p50 ms  p99 ms  errors',
      ...results.map(
        (r) =>
          `${String(r.backend).padEnd(9)} ${String(r.rows).padEnd(9)} ${String(r.endpoint).padEnd(24)} ${String(r.rps).padStart(6)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}  ${Number(r.errors) + Number(r.non2xx)}`,
      ),
    ].join('\n'),
  );
  console.log('\nwritten to bench/api-results.json');
}

await main();
