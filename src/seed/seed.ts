import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { escapeIdentifier } from 'pg';
import { continueSequence, type BulkLoad } from '../db/bulk-load.ts';
import { restoreConstraints, suspendConstraints } from '../db/constraints.ts';
import type { Database } from '../db/database.ts';
import { EcomError, redact } from '../errors.ts';
import { destinationsOf, type ResolvedModel, type ResolvedTable } from '../model/resolve.ts';
import { type Batch, batchesOf, formatOf, type Output } from './batches.ts';
import { checkKeys } from './layout.ts';
import { clearOtherExports } from './exports.ts';
import { MANIFEST, type Manifest, readManifest } from './manifest.ts';
import { OUTPUT_VERSION } from './output-version.ts';
import {
  checkAllLoaded,
  claimShard,
  exportFiles,
  fileName,
  forgetPlan,
  markLoaded,
  planOf,
  recordPlan,
  type Shard,
  sliceOf,
  staleFiles,
} from './shard.ts';
import { type BatchRenderer, inOrder, renderInWorkers } from './workers.ts';
import { copyWriter, fileWriter, type Writer } from './writers.ts';

export interface SeedOptions {
  seed: number;
  counts: Record<string, number>;
  out: string;
  /** The generated seeders' folder (prisma/seeders): their overrides replace the model's generators. */
  seeders?: string | undefined;
  batchSize?: number;
  /** Threads generating rows: 1 (default) generates in this thread; N > 1 starts N worker threads (never more than there are batches). */
  workers?: number | undefined;
  /** Generate only this shard's slice of every table (the database must be prepared: `prepareShards`). */
  shard?: Shard | undefined;
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

export interface SeedResult {
  tables: TableSummary[];
  /** Threads that generated rows (1: this thread). */
  workers: number;
  /** A shard whose rows were already in the database: when they were loaded (its files were written again). */
  alreadyLoaded?: string;
}
const SCRATCH_PREFIX = '.seeding-';
let seeds = 0;
// rows per batch: small enough that a batch in flight dies young in V8 (peak RSS), big enough that
// per-batch costs vanish; the output does not depend on it
const DEFAULT_BATCH = 250;

/** Starting a worker (Faker, the engine, the seeders) costs about as much as generating this many rows. */
const ROWS_PER_WORKER = 50_000;

/**
 * --workers' default: a generating thread per core, but one core left to the main thread's writes
 * and the PostgreSQL backend ingesting the COPY when the rows go to a server (`serverLoad`); none
 * started for a seed too small to repay it. On 2 cores and a server that is the main thread alone:
 * measured at 1M rows, one or two workers cost 15–40 % more CPU (each starts its own Faker and
 * engine, rebuilds the key pools, encodes and transfers the text) and 60–80 MB of peak RSS each, for
 * no shorter run. PGlite loads in the main thread itself, so there workers are what overlaps
 * generating with loading (1M rows on 2 cores: 20.6–20.9 s in the main thread alone, 17.5–19.1 s
 * with 2 workers).
 */
export function defaultWorkers(rows: number, serverLoad: boolean): number {
  const threads = serverLoad ? availableParallelism() - 1 : availableParallelism();
  return Math.max(1, Math.min(threads, Math.floor(rows / ROWS_PER_WORKER)));
}

/** Scratch folders left by seeds that were killed (their process is gone); live seeds' are kept. */
function removeAbandonedScratch(out: string) {
  if (!existsSync(out)) return;
  for (const name of readdirSync(out)) {
    if (!name.startsWith(SCRATCH_PREFIX)) continue;
    const pid = Number(name.slice(SCRATCH_PREFIX.length).split('-')[0]);
    if (isRunning(pid)) continue;
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

/** The export file of a file table (the first part's, for a sharded export: see exportFiles). */
export function filePath(out: string, t: ResolvedTable, shard?: Shard): string | undefined {
  return t.file ? join(out, t.file, fileName(t, shard)) : undefined;
}

/** Every file of a table's export, in row order: the file, or all parts of a sharded export. */
export function exportFilesOf(out: string, t: ResolvedTable): string[] {
  return t.file ? exportFiles(join(out, t.file), t) : [];
}

/** One table's pass: its batches, and the writers their outputs go to (batch output k → writer k). */
interface Step {
  table: ResolvedTable;
  rows: number;
  batches: Batch[];
  open(): Promise<Writer[]>;
  /** The second pass of cycle-closing keys: not a table of the summary. */
  secondPass?: true;
}

/**
 * Generates every table once (or a shard's slice of each), batch by batch, into each of its
 * destinations. The database load is one transaction; files go to a scratch folder and replace the
 * previous exports only after COMMIT. Any failure rolls everything back and leaves database and
 * exports as they were. Without a shard the transaction also empties the tables first and rebuilds
 * constraints last (what prepareShards and finishShards do around a sharded load).
 */
export async function seed(db: Database | undefined, model: ResolvedModel, options: SeedOptions): Promise<SeedResult> {
  // the model's counts passed validation; --scale and --count can ask for more rows than its keys allow
  const keys = checkKeys(model, options.counts);
  if (keys.length > 0) throw new EcomError('these row counts cannot be seeded without breaking a unique key; nothing was changed', keys);
  const { shard } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  // per seed, not per process: shards of one process may run at once
  const scratch = join(options.out, `${SCRATCH_PREFIX}${process.pid}-${seeds++}`);
  removeAbandonedScratch(options.out);
  mkdirSync(scratch, { recursive: true });
  const pgTables = model.tables.filter((t) => t.inPostgres);
  if (pgTables.length > 0 && !db) throw new EcomError('this model has PostgreSQL tables but no database connection was given');
  let tx: BulkLoad | undefined;
  let renderer: BatchRenderer | undefined;
  let finishing: Promise<unknown> | undefined;
  const open = new Set<Writer>();
  const rows = model.tables.reduce((a, t) => a + sliceRows(t, options), 0);
  const result: SeedResult = { tables: [], workers: Math.max(1, Math.min(options.workers ?? 1, Math.ceil(rows / batchSize))) };
  try {
    // workers start up while the database is prepared
    const setup = { seed: options.seed, counts: options.counts, seeders: options.seeders };
    if (result.workers > 1) renderer = renderInWorkers(result.workers, model, setup);
    let loading: BulkLoad | undefined;
    if (db && pgTables.length > 0) {
      tx = await db.beginBulkLoad();
      if (!shard) await emptyTables(tx, model);
      const loadedAt = shard ? await claimShard(tx, shard, planOf(model, options.seed, options.counts, OUTPUT_VERSION)) : null;
      if (loadedAt) result.alreadyLoaded = loadedAt;
      else loading = tx;
    }
    if (!renderer) {
      // Faker and the engine load only where rows are generated
      const { createEngine, renderInThisThread } = await import('./engine-setup.ts');
      renderer = renderInThisThread(await createEngine(model, setup));
    }
    const { database, files } = planSteps(model, options, batchSize, loading, scratch);
    const steps = [...database, ...files];
    const next = inOrder(
      renderer,
      steps.flatMap((s) => s.batches),
      2 * renderer.parallel,
    );
    const lastDatabaseStep = database.at(-1);
    const finish = (tx: BulkLoad) => (!shard ? completeTables(tx, model) : loading ? markLoaded(tx, shard) : Promise.resolve());
    for (const step of steps) {
      const t = step.table.name;
      const started = performance.now();
      if (!step.secondPass) options.progress?.start(t, step.rows);
      const writers = await step.open();
      for (const w of writers) open.add(w);
      for (const b of step.batches) {
        if (options.signal?.aborted) throw new EcomError('seeding was interrupted; nothing was changed');
        const texts = await next();
        await Promise.all(writers.map((w, k) => w.write(texts[k]!)));
        if (!step.secondPass) await options.progress?.advance(t, b.to - step.batches[0]!.from);
      }
      for (const w of writers) {
        open.delete(w);
        await w.close();
      }
      if (tx && step === lastDatabaseStep) {
        // PostgreSQL builds indexes and checks keys while the file-only tables are generated
        finishing = finish(tx);
        finishing.catch(() => {}); // awaited below
      }
      if (step.secondPass) continue;
      const seconds = (performance.now() - started) / 1000;
      options.progress?.end(t, step.rows, seconds);
      const destinations = destinationsOf(step.table).filter((d) => d !== 'postgres' || loading);
      result.tables.push({ table: t, destinations, rows: step.rows, seconds });
    }
    result.tables.sort((a, b) => model.table(a.table).index - model.table(b.table).index);
    if (tx) {
      await (finishing ?? finish(tx));
      finishing = undefined;
      await tx.commit();
      tx = undefined;
    }
  } catch (e) {
    for (const w of open) await w.abort();
    await finishing?.catch(() => {}); // the connection takes the ROLLBACK after the statement in flight
    await tx?.rollback();
    rmSync(scratch, { recursive: true, force: true });
    if (e instanceof EcomError) throw e;
    const what = shard ? `shard ${shard.index}/${shard.count}` : 'seeding';
    throw new EcomError(
      `${what} failed and was rolled back; the database and ${options.out} are unchanged`,
      [
        {
          pointer: '',
          message: redact((e as Error).message),
          ...(shard ? { hint: `run \`ecom seed --shard ${shard.index}/${shard.count}\` again once the cause is fixed` } : {}),
        },
      ],
      1,
      { cause: e },
    );
  } finally {
    await renderer?.close();
  }
  publish(scratch, model, options);
  return result;
}

const sliceRows = (t: ResolvedTable, options: SeedOptions) => {
  const [start, end] = sliceOf(options.counts[t.name] ?? t.count, options.shard);
  return end - start;
};

/**
 * The passes of a seed: the tables that go to the database in dependency order and the second pass
 * of cycle-closing keys; then the tables that only go to files, which need nothing from the database.
 */
function planSteps(
  model: ResolvedModel,
  options: SeedOptions,
  batchSize: number,
  tx: BulkLoad | undefined,
  scratch: string,
): { database: Step[]; files: Step[] } {
  const steps: Step[] = [];
  const second: Step[] = [];
  const files: Step[] = [];
  for (const t of model.tables) {
    const [start, end] = sliceOf(options.counts[t.name] ?? t.count, options.shard);
    const columns = t.columns.map((c) => c.name);
    const outputs: Output[] = [];
    const openers: (() => Promise<Writer>)[] = [];
    const deferred = deferredColumns(model, t);
    if (tx && t.inPostgres) {
      outputs.push({ format: 'copy', columns, nulls: deferred });
      openers.push(async () => copyWriter(tx, t.name, columns));
      if (deferred.length > 0) {
        const keys = [...t.primaryKey.map((c) => c.name), ...deferred];
        second.push({
          table: t,
          rows: end - start,
          batches: batchesOf(t.name, start, end, batchSize, [{ format: 'copy', columns: keys }]),
          open: async () => [copyWriter(tx, stagingTable(t), keys)],
          secondPass: true,
        });
      }
    }
    const file = filePath(scratch, t, options.shard);
    if (file) {
      const output: Output = { format: t.file!, columns };
      outputs.push(output);
      openers.push(() => fileWriter(file, formatOf(output), columns));
    }
    if (outputs.length === 0) continue; // a shard already loaded: its database-only tables
    (tx && t.inPostgres ? steps : files).push({
      table: t,
      rows: end - start,
      batches: batchesOf(t.name, start, end, batchSize, outputs),
      open: () => Promise.all(openers.map((o) => o())),
    });
  }
  return { database: [...steps, ...second], files };
}

function deferredColumns(model: ResolvedModel, t: ResolvedTable): string[] {
  return model.deferred.filter((c) => c.table === t.name).map((c) => c.name);
}

/** Where a load keeps the values of a table's cycle-closing keys until every referenced row exists. */
const stagingTable = (t: ResolvedTable) => `_ecom_deferred_${t.name}`;

/**
 * Before a load: empties the model's tables (RESTART IDENTITY makes ids start at 1 again; no CASCADE:
 * if a table outside the model references these, fail rather than empty it too), suspends their
 * foreign keys and secondary indexes and the NOT NULL of keys that close a cycle, and makes the
 * staging tables of the second pass.
 */
async function emptyTables(tx: BulkLoad, model: ResolvedModel): Promise<{ tables: number; foreignKeys: number; indexes: number }> {
  const pgTables = model.tables.filter((t) => t.inPostgres);
  await tx.exec(`TRUNCATE ${pgTables.map((t) => escapeIdentifier(t.name)).join(', ')} RESTART IDENTITY`);
  const suspended = await suspendConstraints(
    tx,
    pgTables.map((t) => t.name),
    model.deferred.filter((c) => model.table(c.table).inPostgres).map((c) => ({ table: c.table, column: c.name })),
  );
  for (const t of pgTables) {
    const deferred = deferredColumns(model, t);
    if (deferred.length === 0) continue;
    const columns = [...t.primaryKey.map((c) => c.name), ...deferred].map(escapeIdentifier).join(', ');
    const staging = escapeIdentifier(stagingTable(t));
    await tx.exec(`DROP TABLE IF EXISTS ${staging}`);
    await tx.exec(`CREATE TABLE ${staging} AS SELECT ${columns} FROM ${escapeIdentifier(t.name)} WITH NO DATA`);
  }
  return { tables: pgTables.length, ...suspended };
}

/**
 * After a load: the second pass sets the keys that close a cycle (loaded as NULL, because the
 * referenced table came later), then the suspended NOT NULLs, indexes and keys are restored and
 * validated and the sequences continue after the loaded ids.
 */
async function completeTables(tx: BulkLoad, model: ResolvedModel): Promise<{ foreignKeys: number; indexes: number }> {
  const pgTables = model.tables.filter((t) => t.inPostgres);
  for (const t of pgTables) {
    const deferred = deferredColumns(model, t);
    if (deferred.length === 0) continue;
    const staging = escapeIdentifier(stagingTable(t));
    const match = t.primaryKey.map((k) => `t.${escapeIdentifier(k.name)} = d.${escapeIdentifier(k.name)}`).join(' AND ');
    await tx.exec(
      `UPDATE ${escapeIdentifier(t.name)} t SET ${deferred.map((c) => `${escapeIdentifier(c)} = d.${escapeIdentifier(c)}`).join(', ')} FROM ${staging} d WHERE ${match}`,
    );
    await tx.exec(`DROP TABLE ${staging}`);
  }
  const restored = await restoreConstraints(tx);
  for (const t of pgTables) {
    for (const c of t.columns.filter((c) => c.def.default === 'autoincrement')) await tx.exec(continueSequence(t.name, c.name));
  }
  await forgetPlan(tx); // an unsharded seed also completes (and replaces) a sharded load left unfinished
  return restored;
}

/** `ecom seed --shard prepare/N`: empties the tables and suspends constraints, for N shards of this plan. */
export async function prepareShards(
  db: Database,
  model: ResolvedModel,
  options: { seed: number; counts: Record<string, number>; shards: number },
): Promise<{ tables: number; foreignKeys: number; indexes: number }> {
  return inTransaction(db, 'preparing the shards', async (tx) => {
    const prepared = await emptyTables(tx, model);
    await recordPlan(tx, options.shards, planOf(model, options.seed, options.counts, OUTPUT_VERSION));
    return prepared;
  });
}

/** `ecom seed --shard finish/N`: once all N shards are loaded, the second pass, constraints and sequences. */
export async function finishShards(
  db: Database,
  model: ResolvedModel,
  options: { shards: number },
): Promise<{ foreignKeys: number; indexes: number }> {
  return inTransaction(db, 'finishing the shards', async (tx) => {
    await checkAllLoaded(tx, options.shards);
    return completeTables(tx, model);
  });
}

async function inTransaction<T>(db: Database, what: string, fn: (tx: BulkLoad) => Promise<T>): Promise<T> {
  const tx = await db.beginBulkLoad();
  try {
    const result = await fn(tx);
    await tx.commit();
    return result;
  } catch (e) {
    await tx.rollback();
    if (e instanceof EcomError) throw e;
    throw new EcomError(
      `${what} failed and was rolled back; the database is unchanged`,
      [{ pointer: '', message: redact((e as Error).message) }],
      1,
      {
        cause: e,
      },
    );
  }
}

/** Moves the scratch files over the previous exports (each rename is atomic) and removes the other layouts' files. */
function publish(scratch: string, model: ResolvedModel, options: SeedOptions) {
  const { out, shard } = options;
  const previous = previousManifest(out);
  for (const t of model.tables) {
    const from = filePath(scratch, t, shard);
    const to = filePath(out, t, shard);
    if (!from || !to) continue;
    const dir = join(out, t.file!);
    mkdirSync(dir, { recursive: true });
    renameSync(from, to);
    for (const stale of staleFiles(dir, t, shard)) rmSync(join(dir, stale), { force: true });
  }
  const manifest: Manifest = {
    outputVersion: OUTPUT_VERSION,
    model: model.name,
    seed: options.seed,
    counts: options.counts,
    ...(shard ? { shards: shard.count } : {}),
  };
  writeFileSync(join(scratch, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  renameSync(join(scratch, MANIFEST), join(out, MANIFEST));
  if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
  clearOtherExports(out, model, previous);
}

/** What the folder held before this seed; an unreadable manifest is overwritten like a missing one. */
function previousManifest(out: string): Manifest | undefined {
  try {
    return readManifest(out);
  } catch {
    return undefined;
  }
}
