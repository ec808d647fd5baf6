import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect, type Database } from '../../src/db/connection.ts';

/** The local PostgreSQL (trust auth) that tests create scratch databases in. */
export const PG_ADMIN_URL = process.env.ECOM_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database; `drop` removes it. */
  fresh(): Promise<{ db: Database; url?: string; reopen(): Promise<Database>; drop(): Promise<void> }>;
}

let counter = 0;

export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ecom_test_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const backends: Backend[] = [
  {
    name: 'pglite',
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'ecom-pglite-'));
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
