import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { BulkLoad } from './bulk-load.ts';

/** Row values as the database returns them through `query`. */
export type Row = Record<string, unknown>;

/**
 * The one driver interface: everything outside pglite.ts and postgres.ts reaches the data through
 * it, whichever backend holds it (`connect` in connect.ts picks one).
 */
export interface Database {
  /** The backend and where the data lives, safe to print (no password). */
  readonly label: string;
  /** The database runs in this thread (PGlite): loading rows competes with generating them here. */
  readonly inProcess: boolean;
  /** A migration-aware driver adapter for the Prisma client and the WASM schema engine (which runs scripts through `exec`). */
  adapter(): SqlMigrationAwareDriverAdapterFactory;
  /** One statement, with $1… parameters. */
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A script of statements, run as one implicit transaction, as migrations run. */
  exec(script: string): Promise<void>;
  /**
   * `fn` inside a transaction on one connection, committed when it resolves, rolled back when it
   * throws. Other work on the database waits for it where the backend has one connection (PGlite).
   */
  transaction<T>(fn: (tx: Pick<Database, 'query' | 'exec'>) => Promise<T>): Promise<T>;
  /** A transaction on one connection, with COPY FROM into its tables. */
  beginBulkLoad(): Promise<BulkLoad>;
  /** `COPY (select) TO` in text format, in chunks of whole or partial lines. */
  copyOut(select: string): AsyncIterable<string>;
  close(): Promise<void>;
}
