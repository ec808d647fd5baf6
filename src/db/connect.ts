import type { Database } from './database.ts';

const DEFAULT_PGLITE_DIR = '.ecom/pglite';

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

/** The one way every command and the server reach the database. Each backend loads only when chosen. */
export async function connect(options: ConnectOptions = {}): Promise<Database> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) return (await import('./postgres.ts')).connectPostgres(url, options.statementTimeoutMs);
  return (await import('./pglite.ts')).connectPglite(options.pgliteDir ?? process.env.ECOM_PGLITE_DIR ?? DEFAULT_PGLITE_DIR);
}
