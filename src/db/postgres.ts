import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parse } from 'pg-connection-string';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { EcomError, type Problem, redact } from '../errors.ts';
import { type BulkLoad, copyInto } from './bulk-load.ts';
import type { Database, Row } from './database.ts';

const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
/** The URL parameters TLS is configured from, read here the libpq way and hidden from node-postgres, which reads them its own way. */
const TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat'];

/** A PostgreSQL server through a node-postgres pool. */
export async function connectPostgres(url: string, statementTimeoutMs?: number): Promise<Database> {
  const pool = new pg.Pool(poolConfig(url, statementTimeoutMs));
  pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
  const label = `PostgreSQL ${redact(url)}`;
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new EcomError(`cannot connect to ${label}: ${redact((e as Error).message)}`, certificateProblems(e), 1, { cause: e });
  }
  return {
    label,
    inProcess: false,
    adapter: () => new PrismaPg(pool),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
    // without parameters node-postgres sends the simple query protocol, which runs a whole script
    exec: async (script) => void (await pool.query(script)),
    transaction: (fn) => transaction(pool, fn),
    beginBulkLoad: async () => beginBulkLoad(await pool.connect()),
    copyOut: (select) => copyOut(pool, select),
    close: () => pool.end(),
  };
}

async function transaction<T>(pool: pg.Pool, fn: (tx: Pick<Database, 'query' | 'exec'>) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn({
      query: async <R extends Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
      exec: async (script) => void (await client.query(script)),
    });
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * node-postgres settings for a DATABASE_URL, with libpq's TLS semantics (through pg-connection-string):
 * `require` encrypts without verifying (unless sslrootcert is given, then it checks the CA),
 * `verify-ca` checks the server's certificate against sslrootcert, `verify-full` its host name too,
 * and sslcert/sslkey authenticate the client.
 */
export function poolConfig(url: string, statementTimeoutMs?: number): pg.PoolConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EcomError(`DATABASE_URL is not a valid URL: ${redact(url)}`, [], 1);
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol))
    throw new EcomError(`DATABASE_URL must start with postgresql:// (got ${parsed.protocol}//…)`);
  const ssl = tlsOptions(parsed);
  for (const k of TLS_PARAMS) parsed.searchParams.delete(k);
  return {
    connectionString: parsed.toString(),
    ssl,
    max: 10,
    connectionTimeoutMillis: 10_000,
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
  };
}

function tlsOptions(url: URL): false | TlsOptions {
  const mode = url.searchParams.get('sslmode');
  // node-postgres cannot fall back between plain and TLS connections, so `allow` (plain first) stays plain
  if (mode === null || mode === 'disable' || mode === 'allow') return false;
  if (!SSLMODES.includes(mode)) {
    throw new EcomError(`DATABASE_URL has an unknown sslmode "${mode}"`, [
      { pointer: 'DATABASE_URL', message: `sslmode is one of ${SSLMODES.join(', ')}`, hint: 'sslmode=require encrypts without verifying' },
    ]);
  }
  const libpq = new URL(url);
  libpq.searchParams.delete('uselibpqcompat'); // given as the option below; both at once is an error
  try {
    const { ssl } = parse(libpq.toString(), { useLibpqCompat: true });
    return { rejectUnauthorized: true, ...(ssl as TlsOptions) }; // Node's default, spelled out
  } catch (e) {
    throw new EcomError(`DATABASE_URL's TLS settings cannot be used: ${redact((e as Error).message)}`, [], 1, { cause: e });
  }
}

/** Node's TLS verification failures carry codes such as SELF_SIGNED_CERT_IN_CHAIN or ERR_TLS_CERT_ALTNAME_INVALID. */
function certificateProblems(e: unknown): Problem[] {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !/CERT|ISSUER|SIGNATURE|HOSTNAME/.test(code)) return [];
  return [
    {
      pointer: 'DATABASE_URL',
      message: `the server's TLS certificate was rejected (${code})`,
      hint: 'give sslrootcert the CA that signed it (verify-full also checks the host name), or use sslmode=require to encrypt without verifying',
    },
  ];
}

async function beginBulkLoad(client: pg.PoolClient): Promise<BulkLoad> {
  let broken: Error | undefined;
  let copying = false;
  const onError = (e: Error) => (broken = e);
  client.on('error', onError);
  // pooled clients come back for the next load: each load removes its own listener
  const release = (e?: Error) => {
    client.off('error', onError);
    client.release(e);
  };
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
      release();
    },
    async rollback() {
      // Mid-COPY the connection cannot take a ROLLBACK; closing it aborts the transaction just the same.
      if (copying || broken) return release(broken ?? new Error('aborted during COPY'));
      await client.query('ROLLBACK').catch(() => {});
      release();
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
