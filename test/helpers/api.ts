import { request as httpRequest } from 'node:http';
import { pino } from 'pino';
import { connect } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/server.ts';
import type { Backend } from './databases.ts';
import { generatedClient, scratchProject } from './project.ts';

export interface Reply {
  status: number;
  headers: Headers;
  type: string;
  text: string;
  /** Parsed JSON (checked field by field in tests), or the text. */
  body: any;
}

/** A real HTTP request; the body parsed when it is JSON. */
export async function fetchReply(url: string, init?: RequestInit): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, type, text, body: /json/.test(type) && text ? JSON.parse(text) : text };
}

/** A request exactly as written (fetch would normalise the URL or refuse the headers), over node:http. */
export function rawRequest(
  base: string,
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface SeededApi {
  api: RunningServer;
  /** The server's database connection (on PGlite the test's one). */
  db: Database;
  /** The test's own connection. */
  env: Awaited<ReturnType<Backend['fresh']>>;
  /** Every line the server logged, parsed. */
  logs: Record<string, unknown>[];
  get(path: string, init?: RequestInit): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * A fresh database of `backend` with a model (default the e-commerce one) seeded (seed 7), served by a real server
 * on a free port, on its own connection (PostgreSQL: with statement_timeout = the query timeout, as
 * `ecom serve` connects), logging into `logs`.
 */
export async function seededApi(
  backend: Backend,
  options: Partial<ServeOptions> = {},
  { seeded = true, modelFile = 'ecommerce_model.json' } = {},
): Promise<SeededApi> {
  const env = await backend.fresh();
  const p = scratchProject(modelFile);
  // the checkout's Prisma client is the e-commerce model's; another model gets its own
  const Client = modelFile === 'ecommerce_model.json' ? undefined : await generatedClient(p, modelFile);
  await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
  if (seeded) await seed(env.db, p.model, { seed: 7, counts: plannedCounts(p.model), out: p.out });
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const db = env.url ? await connect({ url: env.url, statementTimeoutMs: options.queryTimeoutMs }) : env.db;
  const prisma = Client && new Client({ adapter: db.adapter() });
  const api = await startServer({ db, model: p.model, prisma, port: 0, host: '127.0.0.1', logger, cacheMs: 0, ...options });
  return {
    api,
    db,
    env,
    logs,
    get: (path, init) => fetchReply(api.url + path, init),
    async close() {
      await api.close();
      if (db !== env.db) await db.close().catch(() => {});
      await env.db.close().catch(() => {});
      await env.drop();
      p.cleanup();
    },
  };
}
