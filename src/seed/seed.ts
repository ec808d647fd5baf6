import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeIdentifier } from 'pg';
import { continueSequence, type BulkLoad } from '../db/bulk-load.ts';
import type { Database } from '../db/database.ts';
import { EcomError, redact } from '../errors.ts';
import { destinationsOf, type ResolvedModel, type ResolvedTable } from '../model/resolve.ts';
import { Engine, type Overrides, type Row } from './engine.ts';
import { checkKeys } from './layout.ts';
import { suspendConstraints } from '../db/constraints.ts';
import { MANIFEST, type Manifest } from './manifest.ts';
import { OUTPUT_VERSION } from './output-version.ts';
import { copySink, csvSink, jsonSink, type Sink } from './sinks.ts';

export interface SeedOptions {
  seed: number;
  counts: Record<string, number>;
  out: string;
  overrides?: Overrides;
  batchSize?: number;
  progress?: ProgressListener;
  /** Aborts between batches (Ctrl-C); the load rolls back. */
  signal?: AbortSignal;
}

export interface ProgressListener {
  start(table: string, total: number): void;
  advance(table: string, done: number): void | Promise<void>;
  end(table: string, rows: number, seconds: number): void;
}

export interface TableSummary {
  table: string;
  destinations: string[];
  rows: number;
  seconds: number;
}

const SCRATCH_PREFIX = '.seeding-';

/** Scratch folders left by seeds that were killed (their process is gone); a live seed's is kept. */
function removeAbandonedScratch(out: string) {
  if (!existsSync(out)) return;
  for (const name of readdirSync(out)) {
    if (!name.startsWith(SCRATCH_PREFIX)) continue;
    const pid = Number(name.slice(SCRATCH_PREFIX.length));
    if (pid !== process.pid && isRunning(pid)) continue;
    rmSync(join(out, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Row counts after --scale and --count. */
export function plannedCounts(model: ResolvedModel, scale = 1, overrides: Record<string, number> = {}): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of model.tables) {
    counts[t.name] = overrides[t.name] ?? Math.max(1, Math.round(t.count * scale));
  }
  for (const name of Object.keys(overrides)) {
    if (!model.tables.some((t) => t.name === name)) throw new EcomError(`--count names unknown table "${name}"`, [], 1);
  }
  return counts;
}

export function filePath(out: string, t: ResolvedTable): string | undefined {
  return t.file ? join(out, t.file, `${t.name}.${t.file}`) : undefined;
}

/**
 * Generates every table once, batch by batch, into each of its destinations. The database load is
 * one transaction; files go to a scratch folder and replace the previous exports only after COMMIT.
 * Any failure rolls everything back and leaves database and exports as they were.
 */
export async function seed(db: Database | undefined, model: ResolvedModel, options: SeedOptions): Promise<TableSummary[]> {
  // the model's counts passed validation; --scale and --count can ask for more rows than its keys allow
  const keys = checkKeys(model, options.counts);
  if (keys.length > 0) throw new EcomError('these row counts cannot be seeded without breaking a unique key; nothing was changed', keys);
  const engine = new Engine(model, {
    seed: options.seed,
    counts: options.counts,
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const batchSize = options.batchSize ?? 5000;
  const scratch = join(options.out, `${SCRATCH_PREFIX}${process.pid}`);
  removeAbandonedScratch(options.out);
  mkdirSync(scratch, { recursive: true });
  const pgTables = model.tables.filter((t) => t.inPostgres);
  if (pgTables.length > 0 && !db) throw new EcomError('this model has PostgreSQL tables but no database connection was given');
  let tx: BulkLoad | undefined;
  let restoreConstraints: (() => Promise<void>) | undefined;
  const summary: TableSummary[] = [];
  try {
    if (db && pgTables.length > 0) {
      tx = await db.beginBulkLoad();
      // Re-seeding replaces the seeded data; RESTART IDENTITY makes ids start at 1 again. No CASCADE:
      // if a table outside the model references these, fail rather than empty it too.
      await tx.exec(`TRUNCATE ${pgTables.map((t) => escapeIdentifier(t.name)).join(', ')} RESTART IDENTITY`);
      restoreConstraints = await suspendConstraints(
        tx,
        pgTables.map((t) => t.name),
      );
    }
    for (const t of model.tables) {
      const started = performance.now();
      const source = engine.source(t.name);
      const columns = t.columns.map((c) => c.name);
      const sinks: Sink[] = [];
      if (tx && t.inPostgres) sinks.push(copySink(tx, t.name, columns, deferredColumns(model, t)));
      const file = filePath(scratch, t);
      if (file) sinks.push(t.file === 'csv' ? csvSink(file, columns) : jsonSink(file));
      options.progress?.start(t.name, source.count);
      for (let from = 0; from < source.count; from += batchSize) {
        if (options.signal?.aborted) throw new EcomError('seeding was interrupted; nothing was changed');
        const rows: Row[] = [];
        const to = Math.min(source.count, from + batchSize);
        for (let i = from; i < to; i++) rows.push(source.row(i));
        for (const s of sinks) await s.write(rows);
        await options.progress?.advance(t.name, to);
      }
      for (const s of sinks) await s.finish();
      const seconds = (performance.now() - started) / 1000;
      options.progress?.end(t.name, source.count, seconds);
      summary.push({ table: t.name, destinations: destinationsOf(t), rows: source.count, seconds });
    }
    if (tx) {
      await fillDeferred(tx, engine, model, batchSize);
      await restoreConstraints?.();
      await resetSequences(tx, pgTables);
      await tx.commit();
      tx = undefined;
    }
  } catch (e) {
    await tx?.rollback();
    rmSync(scratch, { recursive: true, force: true });
    if (e instanceof EcomError) throw e;
    throw new EcomError(
      `seeding failed and was rolled back; the database and ${options.out} are unchanged`,
      [{ pointer: '', message: redact((e as Error).message) }],
      1,
      { cause: e },
    );
  }
  publish(scratch, options.out, model, options);
  return summary;
}

function deferredColumns(model: ResolvedModel, t: ResolvedTable): Set<string> {
  return new Set(model.deferred.filter((c) => c.table === t.name).map((c) => c.name));
}

/**
 * Second pass for foreign keys that close a cycle: their rows were loaded with NULL there, because
 * the referenced table came later; now every referenced row exists, so the values are set.
 */
async function fillDeferred(tx: BulkLoad, engine: Engine, model: ResolvedModel, batchSize: number) {
  for (const t of model.tables.filter((t) => t.inPostgres)) {
    const deferred = [...deferredColumns(model, t)];
    if (deferred.length === 0) continue;
    const keys = t.primaryKey.map((c) => c.name);
    const columns = [...keys, ...deferred];
    const temp = escapeIdentifier(`_ecom_deferred_${t.name}`);
    await tx.exec(
      `CREATE TEMP TABLE ${temp} ON COMMIT DROP AS SELECT ${columns.map(escapeIdentifier).join(', ')} FROM ${escapeIdentifier(t.name)} WITH NO DATA`,
    );
    const sink = copySink(tx, `_ecom_deferred_${t.name}`, columns);
    const source = engine.source(t.name);
    for (let from = 0; from < source.count; from += batchSize) {
      const rows: Row[] = [];
      for (let i = from; i < Math.min(source.count, from + batchSize); i++)
        rows.push(Object.fromEntries(columns.map((c) => [c, source.value(i, c)])));
      await sink.write(rows);
    }
    await sink.finish();
    const match = keys.map((k) => `t.${escapeIdentifier(k)} = d.${escapeIdentifier(k)}`).join(' AND ');
    await tx.exec(
      `UPDATE ${escapeIdentifier(t.name)} t SET ${deferred.map((c) => `${escapeIdentifier(c)} = d.${escapeIdentifier(c)}`).join(', ')} FROM ${temp} d WHERE ${match}`,
    );
  }
}

/** Autoincrement columns continue after the seeded ids, so inserts through Prisma keep working. */
async function resetSequences(tx: BulkLoad, tables: ResolvedTable[]) {
  for (const t of tables) {
    for (const c of t.columns.filter((c) => c.def.default === 'autoincrement')) await tx.exec(continueSequence(t.name, c.name));
  }
}

/** Moves the scratch files over the previous exports; each rename is atomic. */
function publish(scratch: string, out: string, model: ResolvedModel, options: SeedOptions) {
  for (const t of model.tables) {
    const from = filePath(scratch, t);
    const to = filePath(out, t);
    if (!from || !to) continue;
    mkdirSync(join(out, t.file!), { recursive: true });
    renameSync(from, to);
  }
  const manifest: Manifest = { outputVersion: OUTPUT_VERSION, model: model.name, seed: options.seed, counts: options.counts };
  writeFileSync(join(scratch, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  renameSync(join(scratch, MANIFEST), join(out, MANIFEST));
  if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
}
