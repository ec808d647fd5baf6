import type { BulkLoad } from '../../db/bulk-load.ts';
import type { Row } from '../../db/database.ts';

/** Rows fetched at a time from a cursor: what bounds verify's memory for rules checked in JavaScript. */
const FETCH = 1000;

/** A query that failed while checking (e.g. a file's value that is not of its column's type). */
export class CheckQueryError extends Error {}

/**
 * verify's one transaction (never committed: it only creates temporary tables), with each check in
 * a savepoint, so a check whose query fails is reported and the others still run.
 */
export class VerifySession {
  private savepoints = 0;

  constructor(readonly tx: BulkLoad) {}

  query<T extends Row = Row>(sql: string): Promise<T[]> {
    return this.tx.query<T>(sql);
  }

  /** Runs `fn` in a savepoint; a query failing inside becomes a CheckQueryError and the transaction carries on. */
  async guarded<T>(fn: () => Promise<T>): Promise<T> {
    const name = `verify_${++this.savepoints}`;
    await this.tx.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn();
      await this.tx.exec(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await this.tx.exec(`ROLLBACK TO SAVEPOINT ${name}`);
      if (e instanceof Error && 'code' in e) throw new CheckQueryError(e.message, { cause: e });
      throw e;
    }
  }

  /** Every row of `sql`, a batch at a time through a cursor: memory holds one batch. */
  async stream(sql: string, onRows: (rows: Row[]) => void | Promise<void>): Promise<void> {
    const cursor = `verify_cursor_${++this.savepoints}`;
    await this.tx.exec(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`);
    for (;;) {
      const rows = await this.tx.query(`FETCH ${FETCH} FROM ${cursor}`);
      if (rows.length > 0) await onRows(rows);
      if (rows.length < FETCH) break;
    }
    await this.tx.exec(`CLOSE ${cursor}`);
  }
}
