import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { EcomError, redact } from '../errors.ts';

export const DEFAULT_PGLITE_DIR = '.ecom/pglite';

/** Row values as the database returns them through `query`. */
export type Row = Record<string, unknown>;

interface Common {
  /** Where the data lives, safe to print (no password). */
  label: string;
  /** A migration-aware driver adapter for the WASM schema engine and the Prisma client. */
  adapter(): SqlMigrationAwareDriverAdapterFactory;
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export type Database = (Common & { kind: 'postgres'; pool: pg.Pool }) | (Common & { kind: 'pglite'; pglite: PGlite });

export interface ConnectOptions {
  /** A postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string | undefined;
  /** The PGlite data folder (default .ecom/pglite, or ECOM_PGLITE_DIR). */
  pgliteDir?: string | undefined;
  /**
   * PostgreSQL cancels any statement running longer (statement_timeout on every connection of the
   * pool). PGlite runs in this process without timers to interrupt it, so there it has no effect.
   */
  statementTimeoutMs?: number | undefined;
}

/** The one way every command and the server reach the database. */
export async function connect(options: ConnectOptions = {}): Promise<Database> {
  const url = options.url ?? process.env.DATABASE_URL;
  return url
    ? connectPostgres(url, options.statementTimeoutMs)
    : connectPglite(options.pgliteDir ?? process.env.ECOM_PGLITE_DIR ?? DEFAULT_PGLITE_DIR);
}

/** libpq's sslmode semantics, which node-postgres does not follow: "require" encrypts without verifying. */
export function poolConfig(url: string, statementTimeoutMs?: number): pg.PoolConfig {
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
  return {
    connectionString: parsed.toString(),
    ssl,
    max: 10,
    connectionTimeoutMillis: 10_000,
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
  };
}

async function connectPostgres(url: string, statementTimeoutMs?: number): Promise<Database> {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const pool = new pg.Pool(poolConfig(url, statementTimeoutMs));
  pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
  const label = `PostgreSQL ${redact(url)}`;
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new EcomError(`cannot connect to ${label}: ${redact((e as Error).message)}`, [], 1, { cause: e });
  }
  return {
    kind: 'postgres',
    pool,
    label,
    adapter: () => new PrismaPg(pool),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
    close: () => pool.end(),
  };
}

async function connectPglite(dir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const path = resolve(dir);
  mkdirSync(path, { recursive: true });
  let pglite: PGlite;
  try {
    pglite = await openPglite(PGlite, path);
  } catch (e) {
    throw new EcomError(
      `cannot open the embedded database in ${path}: ${(e as Error).message}`,
      [
        {
          pointer: path,
          message: 'the folder may be in use by another ecom process or damaged',
          hint: `stop other ecom processes, or delete ${dir} to start afresh`,
        },
      ],
      1,
      { cause: e },
    );
  }
  return {
    kind: 'pglite',
    pglite,
    label: `PGlite ${dir}`,
    adapter: () => awaitingScripts(new PrismaPGlite(pglite), pglite),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
    close: () => pglite.close(),
  };
}

/**
 * Creating a PGlite cluster (initdb in WebAssembly) takes seconds; unpacking an empty one takes a
 * fraction of that. The first new folder on a machine is made the slow way and its empty cluster
 * kept in node_modules/.cache/ecom (per PGlite version) for every new folder after it.
 */
async function openPglite(PGliteClass: typeof PGlite, path: string): Promise<PGlite> {
  if (existsSync(join(path, 'PG_VERSION'))) return PGliteClass.create(path);
  const template = join(cacheDir(), `pglite-${pgliteVersion()}-empty.tar.gz`);
  if (existsSync(template)) return PGliteClass.create({ dataDir: path, loadDataDir: new Blob([readFileSync(template)]) });
  const pglite = await PGliteClass.create(path);
  try {
    const dump = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
    mkdirSync(dirname(template), { recursive: true });
    writeFileSync(`${template}.${process.pid}`, dump);
    renameSync(`${template}.${process.pid}`, template);
  } catch {
    // only a cache: the next new folder is made the slow way again
  }
  return pglite;
}

function cacheDir(): string {
  return existsSync('node_modules') ? resolve('node_modules/.cache/ecom') : join(tmpdir(), 'ecom-cache');
}

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = join(entry.slice(0, entry.lastIndexOf('@electric-sql/pglite') + '@electric-sql/pglite'.length), 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/**
 * pglite-prisma-adapter 0.7 runs migration scripts without awaiting them, so a failing migration
 * would be recorded as applied and its error would surface as an unhandled rejection. This awaits
 * the script so the schema engine sees the failure, as it does on PostgreSQL.
 */
function awaitingScripts(factory: SqlMigrationAwareDriverAdapterFactory, pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.executeScript = async (script: string) => {
      await pglite.exec(script);
    };
    return adapter;
  };
  return factory;
}
