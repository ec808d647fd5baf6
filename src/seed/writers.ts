import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BulkLoad } from '../db/bulk-load.ts';
import type { TextFormat } from './render.ts';

/** Rendered text (see render.ts) arrives in order, batch by batch; `close` completes the destination. */
export interface Writer {
  write(text: string | Uint8Array<ArrayBuffer>): Promise<void>;
  close(): Promise<void>;
  /** After a failure: releases what is held, completes nothing (the load rolls back, scratch files go). */
  abort(): Promise<void>;
}

/** A file in `format`: its head now, the batches as they come, its tail on close. */
export async function fileWriter(path: string, format: TextFormat, columns: string[]): Promise<Writer> {
  await mkdir(dirname(path), { recursive: true });
  const file = await open(path, 'w');
  let empty = true;
  try {
    await file.write(format.head(columns));
  } catch (e) {
    await file.close();
    throw e;
  }
  return {
    async write(text) {
      if (text.length === 0) return;
      empty = false;
      await (typeof text === 'string' ? file.write(text) : file.write(text));
    },
    async close() {
      try {
        await file.write(format.tail(empty));
      } finally {
        await file.close();
      }
    },
    abort: () => file.close().catch(() => {}),
  };
}

/** A COPY into `table` in the load transaction, fed COPY text. */
export function copyWriter(tx: BulkLoad, table: string, columns: string[]): Writer {
  const copy = tx.copy(table, columns);
  return {
    write: (text) => (text.length === 0 ? Promise.resolve() : copy.write(text)),
    close: () => copy.finish(),
    abort: async () => {},
  };
}
