import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, Row } from './connection.ts';
import { quoteIdent } from './sql.ts';

/** COPY text-format data going into one table; `finish` completes the COPY statement(s). */
export interface CopyStream {
  write(text: string): Promise<void>;
  finish(): Promise<void>;
}

/** One database transaction that table loads run in. */
export interface LoadTransaction {
  exec(sql: string): Promise<void>;
  query<T extends Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A COPY into `table` inside this transaction, fed with COPY text-format lines. */
  copy(table: string, columns: string[]): CopyStream;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export async function beginLoad(db: Database): Promise<LoadTransaction> {
  return db.kind === 'postgres' ? beginPostgres(await db.pool.connect()) : beginPglite(db);
}

async function beginPostgres(client: PoolClient): Promise<LoadTransaction> {
  let broken: Error | undefined;
  let copying = false;
  client.on('error', (e) => (broken = e));
  await client.query('BEGIN');
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    copy(table, columns) {
      const stream = client.query(copyFrom(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`));
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

async function beginPglite(db: Extract<Database, { kind: 'pglite' }>): Promise<LoadTransaction> {
  const pg = db.pglite;
  await pg.exec('BEGIN');
  return {
    exec: async (sql) => void (await pg.exec(sql)),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pg.query<T>(sql, params)).rows,
    copy(table, columns) {
      const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '/dev/blob'`;
      return {
        async write(text) {
          await pg.query(sql, [], { blob: new Blob([text]) });
        },
        async finish() {},
      };
    },
    commit: async () => void (await pg.exec('COMMIT')),
    rollback: async () => void (await pg.exec('ROLLBACK').catch(() => {})),
  };
}
