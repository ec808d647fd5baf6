import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { cacheDir, writeCacheFile } from '../cache.ts';
import { EcomError } from '../errors.ts';
import { type BulkLoad, copyInto } from './bulk-load.ts';
import type { Database, Row } from './database.ts';

/** PGlite's file for COPY FROM and TO: the blob passed with, or returned by, the query. */
const BLOB = "'/dev/blob'";
const COPY_BYTES = 1 << 20;

/** PGlite's name for a cluster in memory. */
export const MEMORY = 'memory://';

/** The embedded PostgreSQL (PGlite, WebAssembly) in the folder `dir`; in memory, gone when closed or at exit, with `memory://`. */
export async function connectPglite(dir: string): Promise<Database> {
  const inMemory = dir === MEMORY;
  const path = inMemory ? dir : resolve(dir);
  if (!inMemory) mkdirSync(path, { recursive: true });
  let pglite: PGlite;
  try {
    pglite = await openPglite(path);
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
    label: `PGlite ${dir}`,
    inProcess: true,
    adapter: () => new PrismaPGlite(pglite),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
    exec: async (script) => void (await pglite.exec(script)),
    transaction: (fn) =>
      pglite.transaction((t) =>
        fn({
          query: async <T extends Row>(sql: string, params: unknown[] = []) => (await t.query<T>(sql, params)).rows,
          exec: async (script) => void (await t.exec(script)),
        }),
      ),
    beginBulkLoad: () => beginBulkLoad(pglite),
    copyOut: (select) => copyOut(pglite, select),
    close: () => pglite.close(),
  };
}

/** PGlite has one connection, so its transaction is the database's. */
async function beginBulkLoad(pglite: PGlite): Promise<BulkLoad> {
  await pglite.exec('BEGIN');
  return {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
    copy(table, columns) {
      const sql = copyInto(table, columns, BLOB);
      // each COPY statement has a fixed cost in PGlite: small writes are gathered (as Blobs, whose
      // bytes live outside V8's heap) into COPYs of about 1 MB
      let parts: Blob[] = [];
      let size = 0;
      const load = async () => {
        const blob = new Blob(parts);
        parts = [];
        size = 0;
        await pglite.query(sql, [], { blob });
      };
      return {
        async write(text) {
          const part = new Blob([text]);
          parts.push(part);
          size += part.size;
          if (size >= COPY_BYTES) await load();
        },
        async finish() {
          if (size > 0) await load();
        },
      };
    },
    commit: async () => void (await pglite.exec('COMMIT')),
    rollback: async () => void (await pglite.exec('ROLLBACK').catch(() => {})),
  };
}

/** PGlite returns COPY TO output as one blob, not a stream. */
async function* copyOut(pglite: PGlite, select: string): AsyncIterable<string> {
  const { blob } = await pglite.query(`COPY (${select}) TO ${BLOB}`);
  if (blob) yield await blob.text();
}

/**
 * Creating a PGlite cluster (initdb in WebAssembly) takes seconds; unpacking an empty one takes a
 * fraction of that. The first new folder on a machine is made the slow way and its empty cluster
 * kept in node_modules/.cache/ecom (per PGlite version) for every new folder after it.
 */
async function openPglite(path: string): Promise<PGlite> {
  if (path !== MEMORY && existsSync(join(path, 'PG_VERSION'))) return PGlite.create(path);
  const template = join(cacheDir(), `pglite-${pgliteVersion()}-empty.tar.gz`);
  if (existsSync(template)) return PGlite.create({ dataDir: path, loadDataDir: new Blob([readFileSync(template)]) });
  const pglite = await PGlite.create(path);
  writeCacheFile(template, Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer()));
  return pglite;
}

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = join(entry.slice(0, entry.lastIndexOf('@electric-sql/pglite') + '@electric-sql/pglite'.length), 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}
