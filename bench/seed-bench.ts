// npm run bench [-- --rows N] [--startup-only]: the CLI's start-up; then, all as same-run ratios,
// `ecom seed` (the compiled CLI, process start to exit) against a plain `psql \copy` of the same
// rows pre-rendered into files, whole-seed rate, peak RSS of seed and verify at 100k and N rows,
// sharded seeds (N = 2, 4) with an equality check, the default `ecom run`, and PGlite.
// DATABASE_URL names the PostgreSQL server; scratch databases are created and dropped there.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { codegen } from '../src/codegen/codegen.ts';
import { connect } from '../src/db/connect.ts';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createScratchDatabase, type ScratchDatabase } from '../src/db/scratch.ts';
import { redact } from '../src/errors.ts';
import { loadModel } from '../src/model/load.ts';
import type { ResolvedModel } from '../src/model/resolve.ts';
import { batchesOf, renderBatch } from '../src/seed/batches.ts';
import { createEngine } from '../src/seed/engine-setup.ts';
import { seedOf } from '../src/cli/seed-step.ts';
import { plannedCounts } from '../src/seed/seed.ts';
import { benchMigrations } from './migrations.ts';
import { measureStartup } from './startup.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, 'startup-only': { type: 'boolean', default: false } },
});
const ROWS = Number(values.rows);
const SMALL = Math.min(100_000, ROWS);
const REPO = resolve(import.meta.dirname, '..');
const CLI = join(REPO, 'bin/run.js');
const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const work = mkdtempSync(join(tmpdir(), 'ecom-bench-'));
const log = (s: string) => process.stderr.write(s + '\n');
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const machine = () => ({ cpus: cpus().length, cpu: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version });
const load = () => loadavg().map((l) => round(l, 1));

const totalOf = (counts: Record<string, number>) => Object.values(counts).reduce((a, n) => a + n, 0);
const scaleFor = (model: ResolvedModel, rows: number) => rows / model.tables.reduce((a, t) => a + t.count, 0);
const pgRows = (model: ResolvedModel, counts: Record<string, number>) =>
  model.tables.filter((t) => t.inPostgres).reduce((a, t) => a + counts[t.name]!, 0);

interface Run {
  seconds: number;
  maxRssMb: number;
  stdout: string;
}

/** A process from start to exit, with its peak RSS (GNU time); fails the bench if it fails. */
function timed(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return { seconds, maxRssMb: Number(r.stderr.trim().split('\n').at(-1)) / 1024, stdout: r.stdout };
}

const ecom = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  timed(process.execPath, [CLI, ...args], options);

/** Many processes at once; resolves when all exited, each must succeed. */
function concurrently(runs: { args: string[]; cwd: string; env: Record<string, string> }[]): Promise<void> {
  return Promise.all(
    runs.map(
      (r) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [CLI, ...r.args], { cwd: r.cwd, env: { ...process.env, NODE_OPTIONS: '', ...r.env } });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ecom ${r.args.join(' ')}: ${stderr}`))));
        }),
    ),
  ).then(() => {});
}

/** The rows `ecom seed` loads into the database (same seed, seeders), pre-rendered by its own renderer as COPY text, one file per table. */
async function renderCopyFiles(model: ResolvedModel, counts: Record<string, number>, dir: string, seeders: string) {
  mkdirSync(dir, { recursive: true });
  const engine = await createEngine(model, { seed: seedOf(model, undefined), counts, seeders });
  const files: { table: string; columns: string[]; file: string }[] = [];
  for (const t of model.tables.filter((t) => t.inPostgres)) {
    const columns = t.columns.map((c) => c.name);
    const file = join(dir, `${t.name}.copy`);
    const out = createWriteStream(file);
    for (const b of batchesOf(t.name, 0, counts[t.name]!, 5000, [{ format: 'copy', columns }])) {
      if (!out.write(renderBatch(engine, b)[0]!)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    files.push({ table: t.name, columns, file });
  }
  return files;
}

/** `psql -1` running one `\copy` per table: the floor a loader can be compared with. */
function psqlCopy(url: string, files: { table: string; columns: string[]; file: string }[]): Run {
  const script = join(work, 'copy.sql');
  writeFileSync(
    script,
    files.map((f) => `\\copy "${f.table}" (${f.columns.map((c) => `"${c}"`).join(', ')}) FROM '${f.file}'`).join('\n') + '\n',
  );
  return timed('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', script]);
}

/** Each table's content as one md5, computed by the database. */
async function checksums(db: Database, model: ResolvedModel): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of model.tables.filter((t) => t.inPostgres)) {
    const [row] = await db.query<{ md5: string }>(`SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM "${t.name}" t`);
    out[t.name] = row!.md5;
  }
  return out;
}

/** A project folder holding a variant of the model with its schema, seeders and migrations. */
async function variantProject(name: string, def: unknown, db: Database) {
  const root = join(work, name);
  mkdirSync(root, { recursive: true });
  const modelFile = join(root, 'model.json');
  writeFileSync(modelFile, JSON.stringify(def, null, 2));
  const model = loadModel(modelFile);
  codegen(model, { root, modelFile, skipClient: true });
  const migrations = { schemaFile: join(root, 'prisma/schema.prisma'), migrationsDir: join(root, 'prisma/migrations') };
  await migrate(db, migrations);
  return { root, modelFile, model, migrations };
}

async function freshlyMigrated(scratch: ScratchDatabase, migrations: { schemaFile: string; migrationsDir: string }) {
  await scratch.recreate();
  const db = await connect({ url: scratch.url });
  try {
    await migrate(db, migrations);
  } finally {
    await db.close();
  }
}

async function main() {
  // 0. CLI start-up, beside a bare node in the same run
  const startup = measureStartup();
  for (const [k, v] of Object.entries(startup)) log(`start-up ${k}: median ${v.median_s} s, min ${v.min_s} s, peak RSS ${v.max_rss_mb} MB`);
  if (values['startup-only']) {
    writeFileSync('bench/results.json', JSON.stringify({ startup, machine: machine() }, null, 2) + '\n');
    rmSync(work, { recursive: true, force: true });
    return;
  }
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  const loadBefore = load();
  const scratch = await createScratchDatabase(serverUrl, `ecom_bench_${process.pid}`);
  const url = scratch.url;
  const pg = { DATABASE_URL: url };
  log(`ecom seed benchmark: ${ROWS} rows, PostgreSQL ${redact(url)} (scratch database), load ${loadBefore.join(' ')}`);
  try {
    const model = loadModel(join(REPO, 'ecommerce_model.json'));
    const repoMigrations = benchMigrations(work);

    // 1. ratio_vs_copy: the e-commerce model with every table in PostgreSQL only, so that both sides
    //    load exactly the same rows; ecom seed from process start to exit vs psql \copy of its rows
    const def = JSON.parse(readFileSync(join(REPO, 'ecommerce_model.json'), 'utf8')) as { tables: { destination: string }[] };
    for (const t of def.tables) t.destination = 'postgres';
    const setup = await connect({ url });
    const only = await variantProject('postgres-only', def, setup).finally(() => setup.close());
    const onlyScale = scaleFor(only.model, ROWS);
    const onlyCounts = plannedCounts(only.model, onlyScale);
    const onlyFiles = await renderCopyFiles(only.model, onlyCounts, join(work, 'copy-postgres-only'), join(only.root, 'prisma/seeders'));
    const ratios: { seed_s: number; copy_s: number }[] = [];
    for (let round = 0; round < 2; round++) {
      // alternated, so that a change of load on the shared machine hits both sides
      await freshlyMigrated(scratch, only.migrations);
      const seed = ecom(['seed', '--model', only.modelFile, '--scale', String(onlyScale), '--out', join(work, 'out-only'), '--json'], {
        cwd: only.root,
        env: pg,
      });
      await freshlyMigrated(scratch, only.migrations);
      const copy = psqlCopy(url, onlyFiles);
      ratios.push({ seed_s: seed.seconds, copy_s: copy.seconds });
      log(`postgres-only ${totalOf(onlyCounts)} rows: ecom seed ${seed.seconds.toFixed(2)} s, psql \\copy ${copy.seconds.toFixed(2)} s`);
    }
    const best = (k: 'seed_s' | 'copy_s') => Math.min(...ratios.map((r) => r[k]));
    const onlyRows = totalOf(onlyCounts);

    // 2. the e-commerce model as is (PostgreSQL, CSV and JSON): whole-seed rate, peak RSS of seed
    //    and verify at 100k and ROWS rows, and the PostgreSQL rows against psql \copy of them
    const runs: Record<string, { rows: number; pgRows: number; seed: Run; verify: Run }> = {};
    for (const rows of [SMALL, ROWS]) {
      await freshlyMigrated(scratch, repoMigrations);
      const scale = String(scaleFor(model, rows));
      const out = join(work, `out-${rows}`);
      const seed = ecom(['seed', '--scale', scale, '--out', out, '--json'], { env: pg });
      const verify = ecom(['verify', '--out', out, '--json'], { env: pg });
      const counts = plannedCounts(model, scaleFor(model, rows));
      runs[rows] = { rows: totalOf(counts), pgRows: pgRows(model, counts), seed, verify };
      log(
        `seed ${totalOf(counts)} rows: ${seed.seconds.toFixed(2)} s, peak RSS ${seed.maxRssMb.toFixed(0)} MB; verify ${verify.seconds.toFixed(2)} s, ${verify.maxRssMb.toFixed(0)} MB`,
      );
    }
    const full = runs[ROWS]!;
    const counts = plannedCounts(model, scaleFor(model, ROWS));
    let db = await connect({ url });
    const unsharded = await checksums(db, model);
    await db.close();
    const standardFiles = await renderCopyFiles(model, counts, join(work, 'copy-standard'), join(REPO, 'prisma/seeders'));
    await freshlyMigrated(scratch, repoMigrations);
    const standardCopy = psqlCopy(url, standardFiles);
    log(`psql \\copy of its ${full.pgRows} PostgreSQL rows: ${standardCopy.seconds.toFixed(2)} s`);

    // 3. sharded: prepare, N concurrent shard processes, finish; the database must equal the unsharded seed's
    const shards: Record<string, { seconds: number; equal: boolean }> = {};
    const scale = String(scaleFor(model, ROWS));
    for (const n of [2, 4]) {
      await freshlyMigrated(scratch, repoMigrations);
      const out = join(work, `out-shards-${n}`);
      const flags = ['--scale', scale, '--out', out, '--json'];
      const started = performance.now();
      ecom(['seed', ...flags, '--shard', `prepare/${n}`], { env: pg });
      // the machine's cores are shared by the N processes: one generating thread each
      await concurrently(
        Array.from({ length: n }, (_, i) => ({
          args: ['seed', ...flags, '--shard', `${i + 1}/${n}`, '--workers', '1'],
          cwd: REPO,
          env: pg,
        })),
      );
      ecom(['seed', ...flags, '--shard', `finish/${n}`], { env: pg });
      const seconds = (performance.now() - started) / 1000;
      db = await connect({ url });
      const equal = JSON.stringify(await checksums(db, model)) === JSON.stringify(unsharded);
      await db.close();
      shards[n] = { seconds: round(seconds), equal };
      log(`--shard N=${n}: ${seconds.toFixed(2)} s in all, database ${equal ? 'equals' : 'DIFFERS FROM'} the unsharded seed`);
    }

    // 4. the default `ecom run` (1,575 rows), end to end, as a user runs it
    const pgliteDir = join(work, 'pglite-run');
    const pgliteFresh = ecom(['run', '--out', join(work, 'run-pglite'), '--json'], {
      env: { DATABASE_URL: '', ECOM_PGLITE_DIR: pgliteDir },
    });
    const pgliteWarm = ecom(['run', '--out', join(work, 'run-pglite'), '--json'], {
      env: { DATABASE_URL: '', ECOM_PGLITE_DIR: pgliteDir },
    });
    await scratch.recreate();
    const postgresRun = ecom(['run', '--out', join(work, 'run-pg'), '--json'], { env: pg });
    log(
      `default run: PostgreSQL ${postgresRun.seconds.toFixed(2)} s, PGlite ${pgliteWarm.seconds.toFixed(2)} s, new PGlite folder ${pgliteFresh.seconds.toFixed(2)} s`,
    );

    // 5. PGlite: ecom seed of ROWS rows vs a plain PGlite COPY of its PostgreSQL rows, each a process
    for (const dir of ['pglite-seed', 'pglite-copy']) {
      const lite = await connect({ url: '', pgliteDir: join(work, dir) });
      await migrate(lite, repoMigrations).finally(() => lite.close());
    }
    const pgliteSeed = ecom(['seed', '--scale', scale, '--out', join(work, 'out-pglite'), '--json'], {
      env: { DATABASE_URL: '', ECOM_PGLITE_DIR: join(work, 'pglite-seed') },
    });
    const pgliteCopy = timed(process.execPath, [
      '--import',
      'tsx',
      join(REPO, 'bench/pglite-copy.ts'),
      join(work, 'pglite-copy'),
      JSON.stringify(standardFiles),
    ]);
    log(`PGlite: ecom seed ${pgliteSeed.seconds.toFixed(2)} s, plain COPY ${pgliteCopy.seconds.toFixed(2)} s`);

    const results = {
      rows: full.rows,
      ratio_vs_copy: round(best('copy_s') / best('seed_s'), 3),
      ratio_vs_copy_detail: {
        model: 'e-commerce model, every table in PostgreSQL only: both sides load the same rows',
        rows: onlyRows,
        seed_rows_per_sec: Math.round(onlyRows / best('seed_s')),
        copy_rows_per_sec: Math.round(onlyRows / best('copy_s')),
        runs: ratios.map((r) => ({ seed_s: round(r.seed_s), copy_s: round(r.copy_s) })),
      },
      seed_rows_per_sec: Math.round(full.rows / full.seed.seconds),
      seed_postgres_rows_per_sec: Math.round(full.pgRows / full.seed.seconds),
      copy_rows_per_sec: Math.round(full.pgRows / standardCopy.seconds),
      ratio_vs_copy_with_files: round(standardCopy.seconds / full.seed.seconds, 3),
      peak_rss_mb_seed_100k: Math.round(runs[SMALL]!.seed.maxRssMb),
      peak_rss_mb_seed_1m: Math.round(full.seed.maxRssMb),
      rss_ratio_seed: round(full.seed.maxRssMb / runs[SMALL]!.seed.maxRssMb),
      peak_rss_mb_verify_100k: Math.round(runs[SMALL]!.verify.maxRssMb),
      peak_rss_mb_verify_1m: Math.round(full.verify.maxRssMb),
      rss_ratio_verify: round(full.verify.maxRssMb / runs[SMALL]!.verify.maxRssMb),
      verify_s_1m: round(full.verify.seconds),
      seed_s_1m: round(full.seed.seconds),
      shards,
      default_run_s_postgres: round(postgresRun.seconds),
      default_run_s_pglite: round(pgliteWarm.seconds),
      default_run_s_pglite_fresh_folder: round(pgliteFresh.seconds),
      pglite_seed_postgres_rows_per_sec: Math.round(full.pgRows / pgliteSeed.seconds),
      pglite_copy_rows_per_sec: Math.round(full.pgRows / pgliteCopy.seconds),
      pglite_ratio_vs_copy: round(pgliteCopy.seconds / pgliteSeed.seconds, 3),
      notes:
        'Every figure times a whole process from start to exit (the compiled CLI; psql for the COPY floor). ratio_vs_copy = psql \\copy seconds ÷ ecom seed seconds for the same rows (the model with every table in PostgreSQL), best of two alternated runs, into a freshly migrated schema. seed_rows_per_sec counts every row of the e-commerce model (PostgreSQL, CSV and JSON); ratio_vs_copy_with_files compares the same seed, which also writes the files, with \\copy of its PostgreSQL rows. Shard runs: prepare, N concurrent processes (--workers 1 each), finish; "equal" compares every table with the unsharded seed. PGlite: seed and COPY of the same rows into freshly migrated folders.',
      load_average_before: loadBefore,
      load_average_after: load(),
      startup,
      machine: machine(),
    };
    writeFileSync(join(REPO, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
    const flat = Object.entries(results).filter(([, v]) => typeof v === 'number');
    console.log(flat.map(([k, v]) => `${k.padEnd(36)} ${v}`).join('\n'));
    console.log(`shards ${JSON.stringify(shards)}\nload ${loadBefore.join(' ')} → ${load().join(' ')}\nwritten to bench/results.json`);
  } finally {
    await scratch.drop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
