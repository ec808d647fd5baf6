import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../src/db/database.ts';

export const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Hash of every export file, so "unchanged" and "byte-identical" are checked byte for byte. */
export function exportHashes(out: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const dir of ['csv', 'json']) {
    if (!existsSync(join(out, dir))) continue;
    for (const f of readdirSync(join(out, dir)).sort()) hashes[`${dir}/${f}`] = sha(join(out, dir, f));
  }
  return hashes;
}

export const count = async (db: Database, sql: string, params: unknown[] = []) =>
  Number((await db.query<{ n: unknown }>(sql, params))[0]!.n);
