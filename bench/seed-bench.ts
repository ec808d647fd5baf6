// npm run bench [-- --rows N] [-- --startup-only]: same-run figures for issue 11, each from whole
// processes as a user runs them:
// - `ecom seed` against a plain `psql \copy` of the same PostgreSQL rows from pre-rendered CSV files
//   into the same freshly migrated schema (ratio_vs_copy, on the PostgreSQL rows only), and its rate
//   counting every row (database and files);
// - peak RSS of `ecom seed` and `ecom verify` at 100k and N rows; `ecom report` time and peak RSS;
// - `--shard` with N = 2 and 4 on this machine: total time, and equality with the unsharded tables;
// - the default `ecom run` on PostgreSQL and PGlite (fresh folder and warm);
// - PGlite: `ecom seed` of N rows against a plain PGlite COPY of its database rows;
// - CLI start-up beside a bare node.
// DATABASE_URL names the PostgreSQL server to use; a scratch database is created and dropped there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { escapeIdentifier } from 'pg';
import { connect } from '../src/db/connect.ts';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createScratchDatabase } from '../src/db/scratch.ts';
import { redact } from '../src/errors.ts';
import { loadModel } from '../src/model/load.ts';
import { Engine, type Value } from '../src/seed/engine.ts';
import { plannedCounts } from '../src/seed/seed.ts';
import { benchMigrations } from './migrations.ts';
import { measureStartup } from './startup.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, 'startup-only': { type: 'boolean', default: false } },
});
const ROWS = Number(values.rows);
const SMALL = Math.min(100_000, ROWS);
const SEED = 42;
const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const work = mkdtempSync(join(tmpdir(), 'ecom-bench-'));
const model = loadModel('ecommerce_model.json');
const modelRows = model.tables.reduce((a, t) => a + t.count, 0);
const scaleFor = (rows: number) => rows / modelRows;
const log = (s: string) => process.stderr.write(s + '\n');
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const machine = () => ({
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  load_average_1m_at_end: round(loadavg()[0]!),
});

interface Run {
  seconds: number;
  maxRssMb: number;
  stdout: string;
}

/** One `ecom` CLI process, timed from spawn to exit, with its peak RSS (worker threads included). */
function ecom(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  const rssFile = join(work, `rss-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', './bench/max-rss.mjs', 'bin/run.js', ...args], {
      env: { ...process.env, NODE_OPTIONS: '', ...env, ECOM_BENCH_RSS: rssFile },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`ecom ${args.join(' ')} failed (${code}): ${stderr}`));
      const maxRssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN;
      resolve({ seconds, maxRssMb, stdout });
    });
  });
}

/** Runs a bench script in its own process, so its peak RSS is its own; it prints its figures as a last JSON line. */
function child<T>(script: string, args: string[]): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

/** RFC 4180 CSV as COPY (FORMAT csv) reads it: unquoted empty field = NULL. */
function csvLine(values: Value[]): string {
  return (
    values
      .map((v) =>
        v === null
          ? ''
          : typeof v === 'string'
            ? `"${v.replace(/"/g, '""')}"`
            : typeof v === 'object'
              ? `"${JSON.stringify(v).replace(/"/g, '""')}"`
              : String(v),
      )
      .join(',') + '\n'
  );
}

/** The PostgreSQL tables' rows of a seed of `rows`, rendered to CSV files once (not timed). */
function renderCopyFiles(rows: number): { table: string; file: string; columns: string[]; rows: number }[] {
  const counts = plannedCounts(model, scaleFor(rows));
  const engine = new Engine(model, { seed: SEED, counts });
  const files = [];
  for (const t of model.tables.filter((t) => t.inPostgres)) {
    const s = engine.source(t.name);
    const file = join(work, `copy-${t.name}.csv`);
    const columns = t.columns.map((c) => c.name);
    let chunk = '';
    writeFileSync(file, '');
    for (let i = 0; i < s.count; i++) {
      const row = s.row(i);
      chunk += csvLine(columns.map((c) => row[c]!));
      if (chunk.length > 1 << 20) {
        writeFileSync(file, chunk, { flag: 'a' });
        chunk = '';
      }
    }
    writeFileSync(file, chunk, { flag: 'a' });
    files.push({ table: t.name, file, columns, rows: s.count });
  }
  return files;
}

/** An order-independent checksum of every PostgreSQL table, computed by the database. */
async function checksums(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of model.tables.filter((t) => t.inPostgres)) {
    const [r] = await db.query<{ md5: string; n: number }>(
      `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5, count(*)::int AS n FROM ${escapeIdentifier(t.name)} t`,
    );
    out[t.name] = `${r!.n}:${r!.md5}`;
  }
  return out;
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
  const scratch = await createScratchDatabase(serverUrl, `ecom_bench_${process.pid}`);
  const url = scratch.url;
  const pg = { DATABASE_URL: url };
  log(`ecom seed benchmark: ${ROWS} rows, PostgreSQL ${redact(url)} (scratch database), load average ${loadavg()[0]!.toFixed(2)}`);
  const freshSchema = async () => {
    await scratch.recreate();
    const db = await connect({ url });
    await migrate(db, benchMigrations(work));
    await db.close();
  };
  try {
    // 1. generation alone, one thread, no I/O
    const engine = new Engine(model, { seed: SEED, counts: plannedCounts(model, scaleFor(ROWS)) });
    let generated = 0;
    let started = performance.now();
    for (const t of model.tables) {
      const s = engine.source(t.name);
      for (let i = 0; i < s.count; i++) s.row(i);
      generated += s.count;
    }
    const generateSeconds = (performance.now() - started) / 1000;
    log(`generate (1 thread): ${generated} rows in ${generateSeconds.toFixed(2)} s`);

    // 2. seed, verify and report at 100k and N rows, each a process of its own
    const sizes: Record<string, { rows: number; pgRows: number; seed: Run; verify: Run; report: { seconds: number; maxRssMb: number } }> =
      {};
    let unsharded: Record<string, string> = {};
    for (const rows of [...new Set([SMALL, ROWS])]) {
      await freshSchema();
      const out = join(work, `out-${rows}`);
      const scale = String(scaleFor(rows));
      const seed = await ecom(['seed', '--seed', String(SEED), '--scale', scale, '--out', out, '--json'], pg);
      const tables = (JSON.parse(seed.stdout) as { tables: { table: string; rows: number; destinations: string[] }[] }).tables;
      const all = tables.reduce((a, t) => a + t.rows, 0);
      const pgRows = model.tables.filter((t) => t.inPostgres).reduce((a, t) => a + tables.find((x) => x.table === t.name)!.rows, 0);
      log(`seed ${all} rows (${pgRows} in PostgreSQL): ${seed.seconds.toFixed(2)} s, peak RSS ${seed.maxRssMb.toFixed(0)} MB`);
      const verify = await ecom(['verify', '--out', out, '--json'], pg);
      log(`verify ${all} rows: ${verify.seconds.toFixed(2)} s, peak RSS ${verify.maxRssMb.toFixed(0)} MB`);
      const report = child<{ seconds: number; maxRssMb: number }>('bench/report-child.ts', [url, out]);
      log(`report ${all} rows: ${report.seconds.toFixed(2)} s, peak RSS ${report.maxRssMb.toFixed(0)} MB`);
      sizes[rows] = { rows: all, pgRows, seed, verify, report };
      if (rows === ROWS) {
        const db = await connect({ url });
        unsharded = await checksums(db);
        await db.close();
      }
    }
    const full = sizes[ROWS]!;
    const small = sizes[SMALL]!;

    // 3. the floor: plain `psql \copy` of the same PostgreSQL rows, pre-rendered, into a freshly migrated schema, one transaction
    const files = renderCopyFiles(ROWS);
    const copyRows = files.reduce((a, f) => a + f.rows, 0);
    if (copyRows !== full.pgRows) throw new Error(`the COPY files hold ${copyRows} rows, the seed loaded ${full.pgRows}`);
    await freshSchema();
    started = performance.now();
    const psql = spawnSync(
      'psql',
      [
        '-X',
        '-q',
        '-1',
        '-v',
        'ON_ERROR_STOP=1',
        url,
        ...files.flatMap((f) => [
          '-c',
          `\\copy ${escapeIdentifier(f.table)} (${f.columns.map(escapeIdentifier).join(', ')}) FROM '${f.file}' WITH (FORMAT csv)`,
        ]),
      ],
      { encoding: 'utf8' },
    );
    const copySeconds = (performance.now() - started) / 1000;
    if (psql.status !== 0) throw new Error(`psql \\copy failed: ${psql.stderr}`);
    log(`plain psql \\copy: ${copyRows} rows in ${copySeconds.toFixed(2)} s`);

    // 4. --shard N on this machine: prepare, N concurrent shard processes, finish; then the tables against the unsharded seed
    const shards: Record<string, { seconds: number; equal: boolean }> = {};
    for (const n of [2, 4]) {
      await freshSchema();
      const out = join(work, `shards-${n}`);
      const args = (step: string) => ['seed', '--seed', String(SEED), '--scale', String(scaleFor(ROWS)), '--out', out, '--shard', step];
      started = performance.now();
      await ecom(args(`prepare/${n}`), pg);
      await Promise.all(Array.from({ length: n }, (_, i) => ecom([...args(`${i + 1}/${n}`), '--workers', '1'], pg)));
      await ecom(args(`finish/${n}`), pg);
      const seconds = (performance.now() - started) / 1000;
      const db = await connect({ url });
      const equal = JSON.stringify(await checksums(db)) === JSON.stringify(unsharded);
      await db.close();
      shards[n] = { seconds, equal };
      log(`--shard N=${n}: ${seconds.toFixed(2)} s, tables equal to the unsharded seed: ${equal}`);
    }

    // 5. the default `ecom run` (1,375 rows), end to end, as a user runs it
    const pgliteDir = join(work, 'pglite-run');
    const runPgliteFresh = await ecom(['run', '--out', join(work, 'run-pglite'), '--json'], {
      DATABASE_URL: '',
      ECOM_PGLITE_DIR: pgliteDir,
    });
    const runPgliteWarm = await ecom(['run', '--out', join(work, 'run-pglite'), '--json'], {
      DATABASE_URL: '',
      ECOM_PGLITE_DIR: pgliteDir,
    });
    await scratch.recreate();
    const runPgFresh = await ecom(['run', '--out', join(work, 'run-pg'), '--json'], pg);
    const runPgWarm = await ecom(['run', '--out', join(work, 'run-pg'), '--json'], pg);
    log(
      `default run: PostgreSQL ${runPgWarm.seconds.toFixed(2)} s (new database ${runPgFresh.seconds.toFixed(2)} s), PGlite ${runPgliteWarm.seconds.toFixed(2)} s (new folder ${runPgliteFresh.seconds.toFixed(2)} s)`,
    );

    // 6. PGlite: `ecom seed` of N rows into a migrated folder, against a plain COPY of its database rows into another
    const pgliteFolder = async (name: string) => {
      const dir = join(work, name);
      const db = await connect({ url: '', pgliteDir: dir });
      await migrate(db, benchMigrations(work));
      await db.close();
      return dir;
    };
    const pgliteSeedDir = await pgliteFolder('pglite-seed');
    const pgliteSeed = await ecom(
      ['seed', '--seed', String(SEED), '--scale', String(scaleFor(ROWS)), '--out', join(work, 'out-pglite'), '--json'],
      {
        DATABASE_URL: '',
        ECOM_PGLITE_DIR: pgliteSeedDir,
      },
    );
    const pgliteCopyDir = await pgliteFolder('pglite-copy');
    started = performance.now();
    const pgliteCopy = spawnSync(process.execPath, ['--import', 'tsx', 'bench/pglite-copy.ts', pgliteCopyDir, JSON.stringify(files)], {
      encoding: 'utf8',
    });
    const pgliteCopySeconds = (performance.now() - started) / 1000;
    if (pgliteCopy.status !== 0) throw new Error(`PGlite COPY failed: ${pgliteCopy.stderr}`);
    log(
      `PGlite: seed ${full.rows} rows ${pgliteSeed.seconds.toFixed(2)} s; plain COPY of its ${copyRows} database rows ${pgliteCopySeconds.toFixed(2)} s`,
    );

    const results = {
      rows: full.rows,
      postgres_rows: full.pgRows,
      generate_rows_per_sec_one_thread: Math.round(generated / generateSeconds),
      seed_s: round(full.seed.seconds),
      seed_rows_per_sec: Math.round(full.rows / full.seed.seconds),
      seed_postgres_rows_per_sec: Math.round(full.pgRows / full.seed.seconds),
      copy_s: round(copySeconds),
      copy_rows_per_sec: Math.round(copyRows / copySeconds),
      ratio_vs_copy: round(copySeconds / full.seed.seconds, 3),
      seed_peak_rss_mb_100k: Math.round(small.seed.maxRssMb),
      seed_peak_rss_mb_full: Math.round(full.seed.maxRssMb),
      seed_rss_ratio_full_vs_100k: round(full.seed.maxRssMb / small.seed.maxRssMb),
      verify_s_100k: round(small.verify.seconds),
      verify_s_full: round(full.verify.seconds),
      verify_peak_rss_mb_100k: Math.round(small.verify.maxRssMb),
      verify_peak_rss_mb_full: Math.round(full.verify.maxRssMb),
      verify_rss_ratio_full_vs_100k: round(full.verify.maxRssMb / small.verify.maxRssMb),
      report_s_100k: round(small.report.seconds),
      report_s_full: round(full.report.seconds),
      report_peak_rss_mb_100k: Math.round(small.report.maxRssMb),
      report_peak_rss_mb_full: Math.round(full.report.maxRssMb),
      shard_2_total_s: round(shards[2]!.seconds),
      shard_2_equal: shards[2]!.equal,
      shard_4_total_s: round(shards[4]!.seconds),
      shard_4_equal: shards[4]!.equal,
      default_run_s_postgres: round(runPgWarm.seconds),
      default_run_s_postgres_new_database: round(runPgFresh.seconds),
      default_run_s_pglite: round(runPgliteWarm.seconds),
      default_run_s_pglite_new_folder: round(runPgliteFresh.seconds),
      pglite_seed_s: round(pgliteSeed.seconds),
      pglite_seed_rows_per_sec: Math.round(full.rows / pgliteSeed.seconds),
      pglite_copy_s: round(pgliteCopySeconds),
      pglite_ratio_vs_copy: round(pgliteCopySeconds / pgliteSeed.seconds, 3),
      notes:
        'Every figure is a whole process, start to exit, on a shared machine (see machine.load_average_1m_at_end). ratio_vs_copy = plain `psql -1 \\copy` seconds of the PostgreSQL rows (pre-rendered CSV, freshly migrated schema) ÷ `ecom seed` seconds for the same PostgreSQL rows plus the files; seed_rows_per_sec counts every row (PostgreSQL, CSV and JSON). Peak RSS of seed and verify are of the CLI processes (worker threads included); report_* is `ecom report` (writeReport in its own process). The shard totals run prepare/N, N concurrent `--workers 1` shard processes and finish/N; *_equal compares every PostgreSQL table with the unsharded seed (md5 of its rows). Default runs are `node bin/run.js run`; "new folder/database" includes creating and migrating it (the PGlite folder from the cached empty cluster, see src/db/pglite.ts). PGlite figures: `ecom seed` into a migrated folder vs a process that opens another migrated folder and COPYs the pre-rendered database rows in one transaction.',
      startup,
      machine: machine(),
    };
    mkdirSync('bench', { recursive: true });
    writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
    const table = Object.entries(results).filter(([, v]) => typeof v !== 'object');
    console.log(table.map(([k, v]) => `${k.padEnd(40)} ${v}`).join('\n'));
    console.log('\nwritten to bench/results.json');
  } finally {
    await scratch.drop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
