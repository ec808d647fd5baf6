// npm run bench [-- --rows N]: seeding throughput against a same-run plain COPY baseline, peak
// memory at 100k and N rows, the time and peak memory of `ecom report` on each of those seeds, and
// the wall time of the default `ecom run` on PGlite and PostgreSQL.
// DATABASE_URL names the PostgreSQL server to use; a scratch database is created and dropped there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg, { escapeIdentifier } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { connect } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { poolConfig } from '../src/db/postgres.ts';
import { benchMigrations } from './migrations.ts';
import { measureStartup } from './startup.ts';
import { createScratchDatabase } from '../src/db/scratch.ts';
import { redact } from '../src/errors.ts';
import { loadModel } from '../src/model/load.ts';
import { Engine, type Value } from '../src/seed/engine.ts';
import { plannedCounts } from '../src/seed/seed.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, 'startup-only': { type: 'boolean', default: false } },
});
const ROWS = Number(values.rows);
const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const work = mkdtempSync(join(tmpdir(), 'ecom-bench-'));
const model = loadModel('ecommerce_model.json');
const countsFor = (rows: number) => plannedCounts(model, rows / model.tables.reduce((a, t) => a + t.count, 0));
const log = (s: string) => process.stderr.write(s + '\n');
const machine = () => ({ cpus: cpus().length, cpu: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version });

function cli(args: string[], env: Record<string, string>): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['bin/run.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ecom ${args.join(' ')} failed: ${r.stderr}`);
  return (performance.now() - started) / 1000;
}

/** Runs a bench script in its own process, so its peak RSS is its own; it prints its figures as a last JSON line. */
function child<T>(script: string, args: string[]): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

const seedChild = (scratchUrl: string, rows: number) =>
  child<{ rows: number; seconds: number; maxRssMb: number }>('bench/seed-child.ts', [scratchUrl, String(rows), join(work, `out-${rows}`)]);

/** The report of the seed of `rows` just made (its folder is named by the rows asked for). */
const reportChild = (scratchUrl: string, rows: number) =>
  child<{ seconds: number; bytes: number; maxRssMb: number }>('bench/report-child.ts', [scratchUrl, join(work, `out-${rows}`)]);

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
  const scratchUrl = scratch.url;
  log(`ecom seed benchmark: ${ROWS} rows, PostgreSQL ${redact(scratchUrl)} (scratch database)`);
  try {
    const db = await connect({ url: scratchUrl });
    await migrate(db, benchMigrations(work));
    await db.close();

    // 1. generation alone, no I/O
    const counts = countsFor(ROWS);
    const engine = new Engine(model, { seed: 42, counts });
    let generated = 0;
    let started = performance.now();
    for (const t of model.tables) {
      const s = engine.source(t.name);
      for (let i = 0; i < s.count; i++) s.row(i);
      generated += s.count;
    }
    const generateSeconds = (performance.now() - started) / 1000;
    log(`generate: ${generated} rows in ${generateSeconds.toFixed(2)} s`);

    // 2. the whole seed (database + files), each size in its own process for its peak RSS, then its report
    const SMALL = Math.min(100_000, ROWS);
    const small = seedChild(scratchUrl, SMALL);
    log(`seed ${small.rows} rows: ${small.seconds.toFixed(2)} s, peak RSS ${small.maxRssMb.toFixed(0)} MB`);
    const smallReport = reportChild(scratchUrl, SMALL);
    log(`report ${small.rows} rows: ${smallReport.seconds.toFixed(2)} s, peak RSS ${smallReport.maxRssMb.toFixed(0)} MB`);
    const full = seedChild(scratchUrl, ROWS);
    log(`seed ${full.rows} rows: ${full.seconds.toFixed(2)} s, peak RSS ${full.maxRssMb.toFixed(0)} MB`);
    const fullReport = reportChild(scratchUrl, ROWS);
    log(`report ${full.rows} rows: ${fullReport.seconds.toFixed(2)} s, peak RSS ${fullReport.maxRssMb.toFixed(0)} MB`);

    // 3. baseline: plain COPY of the same rows, pre-rendered as CSV files, into the same tables
    const files: { table: string; file: string; columns: string[]; rows: number }[] = [];
    for (const t of model.tables.filter((t) => t.inPostgres)) {
      const s = engine.source(t.name);
      const file = join(work, `${t.name}.csv`);
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
    const client = new pg.Client(poolConfig(scratchUrl));
    await client.connect();
    await client.query('BEGIN');
    await client.query(`TRUNCATE ${files.map((f) => escapeIdentifier(f.table)).join(', ')} CASCADE`);
    started = performance.now();
    const { createReadStream } = await import('node:fs');
    const { pipeline } = await import('node:stream/promises');
    for (const f of files) {
      await pipeline(
        createReadStream(f.file),
        client.query(
          copyFrom(`COPY ${escapeIdentifier(f.table)} (${f.columns.map(escapeIdentifier).join(', ')}) FROM STDIN WITH (FORMAT csv)`),
        ),
      );
    }
    await client.query('COMMIT');
    const copySeconds = (performance.now() - started) / 1000;
    await client.end();
    const copyRows = files.reduce((a, f) => a + f.rows, 0);
    log(`plain COPY: ${copyRows} rows in ${copySeconds.toFixed(2)} s`);

    // 4. the default `ecom run` (1,575 rows), end to end, as a user runs it
    const pgliteDir = join(work, 'pglite');
    const pgliteFresh = cli(['run', '--out', join(work, 'run-pglite'), '--json'], { DATABASE_URL: '', ECOM_PGLITE_DIR: pgliteDir });
    const pgliteWarm = cli(['run', '--out', join(work, 'run-pglite'), '--json'], { DATABASE_URL: '', ECOM_PGLITE_DIR: pgliteDir });
    await scratch.recreate();
    const postgresRun = cli(['run', '--out', join(work, 'run-pg'), '--json'], { DATABASE_URL: scratchUrl });

    const results = {
      rows: full.rows,
      generate_rows_per_sec: Math.round(generated / generateSeconds),
      seed_rows_per_sec: Math.round(full.rows / full.seconds),
      copy_rows_per_sec: Math.round(copyRows / copySeconds),
      ratio_vs_copy: Math.round((full.rows / full.seconds / (copyRows / copySeconds)) * 1000) / 1000,
      peak_rss_mb_100k: Math.round(small.maxRssMb),
      peak_rss_mb_1m: Math.round(full.maxRssMb),
      rss_ratio_1m_vs_100k: Math.round((full.maxRssMb / small.maxRssMb) * 100) / 100,
      report_s_100k: Math.round(smallReport.seconds * 100) / 100,
      report_s_1m: Math.round(fullReport.seconds * 100) / 100,
      report_peak_rss_mb_100k: Math.round(smallReport.maxRssMb),
      report_peak_rss_mb_1m: Math.round(fullReport.maxRssMb),
      report_rss_ratio_1m_vs_seed_1m: Math.round((fullReport.maxRssMb / full.maxRssMb) * 100) / 100,
      default_run_s_pglite: Math.round(pgliteWarm * 100) / 100,
      default_run_s_pglite_fresh_folder: Math.round(pgliteFresh * 100) / 100,
      default_run_s_postgres: Math.round(postgresRun * 100) / 100,
      notes:
        'seed_rows_per_sec counts every row (PostgreSQL, CSV and JSON, file-only tables too); copy_rows_per_sec counts the PostgreSQL rows COPYed from pre-rendered CSV. report_* is `ecom report` of each seed (PostgreSQL tables profiled with SQL, file-only tables streamed), in its own process. Default runs are wall time of `node bin/run.js run` including process start; the PGlite "fresh" run includes creating the data folder.',
      startup,
      machine: machine(),
    };
    mkdirSync('bench', { recursive: true });
    writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
    const table = Object.entries(results).filter(([, v]) => typeof v === 'number');
    console.log(table.map(([k, v]) => `${k.padEnd(34)} ${v}`).join('\n'));
    console.log('\nwritten to bench/results.json');
  } finally {
    await scratch.drop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
