import { escapeIdentifier, escapeLiteral } from 'pg';
import type { Row } from './database.ts';

/** COPY text-format data (UTF-8 text or its bytes) going into one table; `finish` completes the COPY. */
export interface CopyIn {
  write(text: string | Uint8Array<ArrayBuffer>): Promise<void>;
  finish(): Promise<void>;
}

/** The one transaction a bulk load (the seed) runs in: statements, and COPY into its tables. */
export interface BulkLoad {
  exec(sql: string): Promise<void>;
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A COPY into `table` inside this transaction, fed with COPY text-format lines. */
  copy(table: string, columns: string[]): CopyIn;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** The COPY statement of `BulkLoad.copy`; backends differ only in where the data comes from. */
export function copyInto(table: string, columns: string[], source: string): string {
  return `COPY ${escapeIdentifier(table)} (${columns.map(escapeIdentifier).join(', ')}) FROM ${source}`;
}

/** After ids were loaded explicitly: the statement that makes `column`'s sequence continue after the largest. */
export function continueSequence(table: string, column: string): string {
  const tbl = escapeIdentifier(table);
  return `SELECT setval(pg_get_serial_sequence(${escapeLiteral(tbl)}, ${escapeLiteral(column)}), COALESCE((SELECT MAX(${escapeIdentifier(column)}) FROM ${tbl}), 0) + 1, false)`;
}
