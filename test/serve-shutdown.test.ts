// Graceful shutdown of a real `ecom serve` process (issue 10, row 7), on PGlite and PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { backends, createPgDatabase } from './helpers/databases.ts';
import { REPO, scratchProject } from './helpers/project.ts';

const IN_FLIGHT = 40;
const temp = mkdtempSync(join(tmpdir(), 'ecom-shutdown-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Answer {
  status: number;
  connection: string | undefined;
  reused: boolean;
  at: number;
}

/** One GET over `agent`; resolves with the status, the Connection header and whether the socket was reused. */
function getVia(agent: Agent, base: string, path: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, agent }, (res) => {
      res.on('error', reject);
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode!, connection: res.headers.connection, reused: req.reusedSocket, at: performance.now() }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function serve(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; stderr: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(REPO, 'bin/run.js'), 'serve', '--port', '0', '--cache-ms', '0'], {
    cwd: REPO,
    env: { ...process.env, ...env },
  });
  child.stdout!.resume();
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exit.then(() => reject(new Error(`exited early: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exit };
}

const until = async (condition: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !condition();) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.each(backends)('ecom serve on $name, after SIGTERM', (backend) => {
  it('row 7: tells keep-alive clients to close, stops serving them, finishes in-flight requests and exits 0', async () => {
    // a seeded database the server process opens itself
    const p = scratchProject('ecommerce_model.json');
    const scratch = backend.name === 'postgres' ? await createPgDatabase() : undefined;
    const pgliteDir = join(temp, `pglite-${backend.name}`);
    const db = await connect(scratch ? { url: scratch.url } : { pgliteDir, url: '' });
    await migrate(db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await seed(db, p.model, { seed: 7, counts: plannedCounts(p.model, 0.25), out: p.out }); // the size does not matter here
    await db.close();
    const server = await serve({ DATABASE_URL: scratch?.url ?? '', ECOM_PGLITE_DIR: pgliteDir });
    let locker: pg.Client | undefined;
    try {
      // an idle keep-alive client
      const idle = new Agent({ keepAlive: true, maxSockets: 1 });
      expect((await getVia(idle, server.url, '/health')).status).toBe(200);
      expect((await getVia(idle, server.url, '/health')).reused).toBe(true);
      // a client hammering two keep-alive connections, as a load generator does
      const busy = new Agent({ keepAlive: true, maxSockets: 2 });
      const answers: Answer[] = [];
      const hammer = async () => {
        for (;;) answers.push(await getVia(busy, server.url, '/'));
      };
      const hammering = Promise.allSettled([hammer(), hammer()]);
      await until(() => answers.length >= 2);
      // requests in flight when the signal comes: on PostgreSQL held by a lock, on PGlite queued behind each other
      if (scratch) {
        locker = new pg.Client({ connectionString: scratch.url });
        await locker.connect();
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      }
      const inflightAgent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
      const inflight = Array.from({ length: IN_FLIGHT }, () => getVia(inflightAgent, server.url, '/orders/stats/summary?top=50'));
      for (const r of inflight) r.catch(() => {}); // awaited below; a failure must fail the test there, not as unhandled
      // the server has them: PGlite has answered the first, PostgreSQL waits for the lock
      await (scratch ? new Promise((r) => setTimeout(r, 300)) : Promise.race(inflight));

      server.child.kill('SIGTERM');
      // PGlite's process logs the signal only once its query queue is done: slow on a loaded machine
      await until(() => /SIGTERM: finishing in-flight requests/.test(server.stderr()), 20_000);
      const signalled = performance.now();
      if (locker) setTimeout(() => void locker!.query('ROLLBACK'), 300);

      // every request in flight finishes, told to close its connection
      const finished = await Promise.all(inflight);
      expect(finished.map((a) => a.status)).toEqual(Array(IN_FLIGHT).fill(200));
      // PGlite runs queries on this process's event loop, which sees the signal only when its queue is
      // done: there the in-flight case is tested in-process (server-hardening.test.ts, row 7)
      if (scratch) expect(finished.filter((a) => a.connection === 'close')).toHaveLength(IN_FLIGHT);
      // the keep-alive clients are told to close; once the requests in flight are done they are cut off
      const hammered = await hammering;
      expect(hammered.every((r) => r.status === 'rejected')).toBe(true);
      for (const a of answers.filter((a) => a.at > signalled + 20)) expect(a.connection).toBe('close');
      expect(Math.max(...answers.map((a) => a.at)) - signalled).toBeLessThan(1000);
      const again = await getVia(idle, server.url, '/health').catch((e: Error) => e);
      if (!(again instanceof Error)) expect(again.connection).toBe('close');
      expect(await server.exit).toBe(0);
      expect(server.stderr()).toMatch(/stopped\n$/);
      await expect(getVia(new Agent(), server.url, '/health')).rejects.toThrow(/ECONNREFUSED/);
      for (const agent of [idle, busy, inflightAgent]) agent.destroy();
    } finally {
      server.child.kill('SIGKILL');
      await locker?.end().catch(() => {});
      await scratch?.drop();
      p.cleanup();
    }
  });
});
