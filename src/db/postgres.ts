import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { EcomError, redact } from '../errors.ts';
import { type BulkLoad, copyInto } from './bulk-load.ts';
import type { Database, Row } from './database.ts';

/** A PostgreSQL server through a node-postgres pool. */
export async function connectPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool(poolConfig(url));
  pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
  const label = `PostgreSQL ${redact(url)}`;
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new EcomError(`cannot connect to ${label}: ${redact((e as Error).message)}`, [], 1, { cause: e });
  }
  return {
    label,
    adapter: () => new PrismaPg(pool),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
    // without parameters node-postgres sends the simple query protocol, which runs a whole script
    exec: async (script) => void (await pool.query(script)),
    beginBulkLoad: async () => beginBulkLoad(await pool.connect()),
    copyOut: (select) => copyOut(pool, select),
    close: () => pool.end(),
  };
}

/** libpq's sslmode semantics, which node-postgres does not follow: "require" encrypts without verifying. */
export function poolConfig(url: string): pg.PoolConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EcomError(`DATABASE_URL is not a valid URL: ${redact(url)}`, [], 1);
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol))
    throw new EcomError(`DATABASE_URL must start with postgresql:// (got ${parsed.protocol}//…)`);
  const mode = parsed.searchParams.get('sslmode');
  for (const k of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat']) parsed.searchParams.delete(k);
  const ssl =
    mode === null || mode === 'disable' || mode === 'allow'
      ? false
      : mode === 'verify-ca' || mode === 'verify-full'
        ? { rejectUnauthorized: true }
        : { rejectUnauthorized: false };
  return { connectionString: parsed.toString(), ssl, max: 10, connectionTimeoutMillis: 10_000 };
}

async function beginBulkLoad(client: pg.PoolClient): Promise<BulkLoad> {
  let broken: Error | undefined;
  let copying = false;
  client.on('error', (e) => (broken = e));
  await client.query('BEGIN');
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    copy(table, columns) {
      const stream = client.query(copyFrom(copyInto(table, columns, 'STDIN')));
      copying = true;
      let failed: unknown;
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', (e) => {
          failed = e;
          reject(e);
        });
      });
      done.catch(() => {}); // surfaced by write() and finish()
      return {
        async write(text) {
          if (failed) throw failed;
          if (!stream.write(text)) await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), done]);
        },
        async finish() {
          stream.end();
          await done;
          copying = false;
        },
      };
    },
    commit: async () => {
      await client.query('COMMIT');
      client.release();
    },
    async rollback() {
      // Mid-COPY the connection cannot take a ROLLBACK; closing it aborts the transaction just the same.
      if (copying || broken) return client.release(broken ?? new Error('aborted during COPY'));
      await client.query('ROLLBACK').catch(() => {});
      client.release();
    },
  };
}

async function* copyOut(pool: pg.Pool, select: string): AsyncIterable<string> {
  const client = await pool.connect();
  let complete = false;
  try {
    const decoder = new TextDecoder();
    for await (const chunk of client.query(copyTo(`COPY (${select}) TO STDOUT`))) yield decoder.decode(chunk as Buffer, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
    complete = true;
  } finally {
    client.release(!complete); // a connection left mid-COPY is closed, not reused
  }
}
