import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BulkLoad } from '../db/bulk-load.ts';
import { EcomError } from '../errors.ts';
import type { ResolvedModel, ResolvedTable } from '../model/resolve.ts';

/**
 * Sharding, as TPC-H's `dbgen -C n -S i` does it: shard I of N generates the I-th of N contiguous
 * slices of every table. The database is prepared once (emptied, constraints suspended), loaded by
 * the N shards — any order, concurrently, from any machines, each in its own transaction — and
 * finished once (constraints rebuilt and validated, sequences reset).
 */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export type ShardStep = { step: 'prepare'; count: number } | ({ step: 'load' } & Shard) | { step: 'finish'; count: number };

/** `I/N`, `prepare/N` or `finish/N`; the error message says what is wrong. */
export function parseShard(text: string): ShardStep {
  const m = /^(prepare|finish|\d+)\/(\d+)$/.exec(text.trim());
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(count) || count < 1)
    throw new Error(`${text}: expected I/N (1 ≤ I ≤ N), prepare/N or finish/N, e.g. --shard prepare/4, --shard 2/4, --shard finish/4`);
  if (m[1] === 'prepare' || m[1] === 'finish') return { step: m[1], count };
  const index = Number(m[1]);
  if (index < 1 || index > count) throw new Error(`${text}: shard ${index} of ${count} does not exist; I goes from 1 to ${count}`);
  return { step: 'load', index, count };
}

/** The rows [start, end) of a table of `rows` rows that `shard` generates (all of them without a shard). */
export function sliceOf(rows: number, shard?: Shard): [number, number] {
  if (!shard) return [0, rows];
  const at = (i: number) => Math.floor((rows * i) / shard.count);
  return [at(shard.index - 1), at(shard.index)];
}

/** `users.csv`, or shard I of N's part `users.part-I-of-N.csv`: a complete file of its own. */
export function fileName(t: ResolvedTable, shard?: Shard): string {
  return shard ? `${t.name}.part-${shard.index}-of-${shard.count}.${t.file}` : `${t.name}.${t.file}`;
}

/** The export files of `t` in `dir` that a seed writing `shard` (or unsharded) makes stale: the other layouts. */
export function staleFiles(dir: string, t: ResolvedTable, shard?: Shard): string[] {
  if (!existsSync(dir)) return [];
  const part = new RegExp(`^${t.name}\\.part-\\d+-of-(\\d+)\\.${t.file}$`);
  return readdirSync(dir).filter((f) => {
    const m = part.exec(f);
    return m ? !shard || Number(m[1]) !== shard.count : shard !== undefined && f === fileName(t);
  });
}

/** A table's export: the whole file, or else all N parts of the newest complete sharded export, in order. */
export function exportFiles(dir: string, t: ResolvedTable): string[] {
  if (existsSync(join(dir, fileName(t))) || !existsSync(dir)) return [join(dir, fileName(t))];
  const part = new RegExp(`^${t.name}\\.part-(\\d+)-of-(\\d+)\\.${t.file}$`);
  const counts = readdirSync(dir).flatMap((f) => {
    const m = part.exec(f);
    return m ? [Number(m[2])] : [];
  });
  const count = Math.max(0, ...counts);
  if (count === 0) return [join(dir, fileName(t))];
  return Array.from({ length: count }, (_, i) => join(dir, fileName(t, { index: i + 1, count })));
}

/** What every shard of one load must agree on, recorded by prepare and checked by each shard. */
export function planOf(model: ResolvedModel, seed: number, counts: Record<string, number>, outputVersion: number): string {
  return JSON.stringify({
    model: model.name,
    outputVersion,
    seed,
    counts: Object.fromEntries(model.tables.map((t) => [t.name, counts[t.name]])),
  });
}

/** The prepared load's bookkeeping: one row per shard, its plan, and when it was loaded. */
const SHARDS = '_ecom_shards';

export async function recordPlan(tx: BulkLoad, count: number, plan: string): Promise<void> {
  await tx.exec(`DROP TABLE IF EXISTS ${SHARDS}`);
  await tx.exec(`CREATE TABLE ${SHARDS} (shard int PRIMARY KEY, shards int NOT NULL, plan text NOT NULL, loaded_at timestamptz)`);
  await tx.query(`INSERT INTO ${SHARDS} (shard, shards, plan) SELECT i, $1, $2 FROM generate_series(1, $1::int) AS i`, [count, plan]);
}

/**
 * Locks shard `shard`'s row for this transaction (a second copy of the same shard waits, then sees
 * it loaded) and checks it belongs to the prepared load. Returns when it was already loaded, or null.
 */
export async function claimShard(tx: BulkLoad, shard: Shard, plan: string): Promise<string | null> {
  const prepared = await preparedCount(tx);
  if (prepared !== shard.count)
    throw new EcomError(`the database was prepared for ${prepared} shards, not ${shard.count}`, [
      {
        pointer: 'flags',
        message: `shard ${shard.index}/${shard.count} is not part of that load`,
        hint: `run shards 1/${prepared} … ${prepared}/${prepared}, or prepare again with --shard prepare/${shard.count}`,
      },
    ]);
  const [row] = await tx.query<{ plan: string; loaded_at: string | null }>(
    `SELECT plan, loaded_at::text AS loaded_at FROM ${SHARDS} WHERE shard = $1 FOR UPDATE`,
    [shard.index],
  );
  if (row!.plan !== plan)
    throw new EcomError(
      `shard ${shard.index}/${shard.count} does not match the prepared load`,
      planDifferences(row!.plan, plan).map((d) => ({
        pointer: d.key,
        message: `prepared with ${d.prepared}, this shard has ${d.shard}`,
        hint: 'give every shard the model, --seed, --scale and --count that prepare was given',
      })),
    );
  return row!.loaded_at;
}

function planDifferences(prepared: string, shard: string): { key: string; prepared: string; shard: string }[] {
  const flat = (text: string) => {
    const { counts, ...rest } = JSON.parse(text) as Record<string, unknown> & { counts: Record<string, unknown> };
    return new Map<string, string>([
      ...Object.entries(rest).map(([k, v]) => [k, JSON.stringify(v)] as const),
      ...Object.entries(counts).map(([k, v]) => [`rows of ${k}`, JSON.stringify(v)] as const),
    ]);
  };
  const a = flat(prepared);
  const b = flat(shard);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((k) => a.get(k) !== b.get(k))
    .map((key) => ({ key, prepared: a.get(key) ?? 'nothing', shard: b.get(key) ?? 'nothing' }));
}

export async function markLoaded(tx: BulkLoad, shard: Shard): Promise<void> {
  await tx.query(`UPDATE ${SHARDS} SET loaded_at = now() WHERE shard = $1`, [shard.index]);
}

/** Before finish: every shard of the prepared load is loaded, else nothing is done. */
export async function checkAllLoaded(tx: BulkLoad, count: number): Promise<void> {
  const prepared = await preparedCount(tx);
  if (prepared !== count)
    throw new EcomError(`the database was prepared for ${prepared} shards, not ${count}`, [
      { pointer: 'flags', message: `--shard finish/${count} does not match`, hint: `finish with --shard finish/${prepared}` },
    ]);
  const missing = await tx.query<{ shard: number }>(`SELECT shard FROM ${SHARDS} WHERE loaded_at IS NULL ORDER BY shard`);
  if (missing.length > 0)
    throw new EcomError(
      `${missing.length} of ${count} shards are not loaded yet; nothing was changed`,
      missing.map((m) => ({
        pointer: `shard ${m.shard}/${count}`,
        message: 'not loaded',
        hint: `run \`ecom seed --shard ${m.shard}/${count}\``,
      })),
    );
}

export async function forgetPlan(tx: BulkLoad): Promise<void> {
  await tx.exec(`DROP TABLE IF EXISTS ${SHARDS}`);
}

async function preparedCount(tx: BulkLoad): Promise<number> {
  const [exists] = await tx.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [SHARDS]);
  if (!exists?.t)
    throw new EcomError('no sharded load is prepared in this database', [
      {
        pointer: 'flags',
        message: 'shards and finish need a prepared database',
        hint: 'run `ecom seed --shard prepare/N` first (with the same model, --seed, --scale and --count)',
      },
    ]);
  const [row] = await tx.query<{ n: number }>(`SELECT max(shards) AS n FROM ${SHARDS}`);
  return Number(row!.n);
}
