import { rmSync } from 'node:fs';
import { connect } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/database.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.ts';
import { afterFile, tempDir } from './cleanup.ts';

/** The local PostgreSQL (trust auth) that tests create scratch databases in. */
export const PG_ADMIN_URL = process.env.ECOM_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database; `drop` removes it. */
  fresh(): Promise<{ db: Database; url?: string; reopen(): Promise<Database>; drop(): Promise<void> }>;
}

let counter = 0;

/** A scratch PostgreSQL database, dropped when the test file is done if the test did not drop it. */
export async function createPgDatabase(): Promise<ScratchDatabase> {
  const scratch = await createScratchDatabase(PG_ADMIN_URL, `ecom_test_${process.pid}_${Date.now()}_${counter++}`);
  afterFile(scratch.drop);
  return scratch;
}

export const backends: Backend[] = [
  {
    name: 'pglite',
    async fresh() {
      const dir = tempDir('ecom-pglite-');
      const db = await connect({ pgliteDir: dir, url: '' });
      return { db, reopen: () => connect({ pgliteDir: dir, url: '' }), drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    async fresh() {
      const scratch = await createPgDatabase();
      const db = await connect({ url: scratch.url });
      return { db, url: scratch.url, reopen: () => connect({ url: scratch.url }), drop: scratch.drop };
    },
  },
];
