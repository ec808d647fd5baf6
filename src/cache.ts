import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where ecom keeps what it can always make again but would rather not: node_modules/.cache/ecom, as bundlers do. */
export function cacheDir(): string {
  return existsSync('node_modules') ? resolve('node_modules/.cache/ecom') : join(tmpdir(), 'ecom-cache');
}

/** Writes a cache file whole or not at all (concurrent processes may write the same one). */
export function writeCacheFile(file: string, data: string | Buffer): void {
  try {
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(`${file}.${process.pid}`, data);
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // only a cache: the next run computes it again
  }
}

/** The JSON `compute` returns for `input`, kept in the cache under a hash of `input`. */
export async function cachedJson<T>(kind: string, input: unknown, compute: () => Promise<T>): Promise<T> {
  const file = join(cacheDir(), `${kind}-${createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 32)}.json`);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      // a damaged entry is computed again
    }
  }
  const value = await compute();
  writeCacheFile(file, JSON.stringify(value));
  return value;
}
