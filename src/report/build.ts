import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import type { Database } from '../db/database.ts';
import { EcomError, redact } from '../errors.ts';
import { destinationsOf, type ResolvedModel, type ResolvedTable } from '../model/resolve.ts';
import { describeType } from '../model/types.ts';
import { readManifest } from '../seed/manifest.ts';
import { filePath } from '../seed/seed.ts';
import type { VerifyReport } from '../seed/verify.ts';
import { streamRows, type FileProblem } from '../seed/verify/files.ts';
import { readVerification } from '../seed/verify/record.ts';
import { fanOutOf, type TableFigures } from './profile.ts';
import { profileFile } from './profile-stream.ts';
import { profileTableSql } from './profile-sql.ts';
import type { CheckResult, Report, TableReport, VerifySummary } from './types.ts';

export interface BuildOptions {
  /** The exports folder the files and manifest.json are in. */
  out: string;
  /** verify's result when it has just run (`ecom run`); otherwise the record of the last `ecom verify`. */
  verified?: VerifyReport;
  /** Called as each table is profiled (progress). */
  onTable?(table: string, rows: Record<string, number>, seconds: number): void;
}

/**
 * The report's figures for the data seeded into the database and `out`: PostgreSQL tables are
 * profiled with SQL, file-only tables by streaming their file; a table with both is profiled in
 * PostgreSQL and its file's rows counted.
 */
export async function buildReport(db: Database | undefined, model: ResolvedModel, options: BuildOptions): Promise<Report> {
  const { out } = options;
  const manifest = readManifest(out);
  if (!manifest)
    throw new EcomError(`nothing was seeded into ${out}: no manifest.json`, [
      {
        pointer: out,
        message: 'the report describes seeded data',
        hint: 'run `ecom seed` (or `ecom run`) first, or pass the --out it used',
      },
    ]);
  if (manifest.model !== model.name)
    throw new EcomError(`${out} holds data of the model "${manifest.model}", not "${model.name}"`, [
      {
        pointer: out,
        message: 'the model and the data differ',
        hint: `pass the --model it was seeded with, or run \`ecom seed\` with this one`,
      },
    ]);
  const problem: FileProblem = (check, where, detail) => {
    throw new EcomError(`cannot read ${where}`, [
      { pointer: where, message: `${check}: ${detail}`, hint: 'run `ecom seed` to write the exports again' },
    ]);
  };

  const figures = new Map<string, TableFigures>();
  const tables: TableReport[] = [];
  for (const t of model.tables) {
    const started = performance.now();
    const rows: Record<string, number> = {};
    let profile: TableFigures | undefined;
    if (t.inPostgres) {
      if (!db) throw new EcomError(`table "${t.name}" is in PostgreSQL but no database was given`);
      profile = await profileOrExplain(db, t);
      rows.postgres = profile.rows;
    }
    const file = filePath(out, t);
    const files: TableReport['files'] = [];
    if (file) {
      if (!existsSync(file))
        throw new EcomError(`${file} is missing`, [
          { pointer: file, message: `the ${t.file} export of ${t.name}`, hint: 'run `ecom seed` again' },
        ]);
      files.push({ path: relative(out, file), format: t.file!, bytes: statSync(file).size });
      if (profile) rows[t.file!] = await streamRows(file, t, problem);
      else {
        profile = await profileFile(file, t, problem);
        rows[t.file!] = profile.rows;
      }
    }
    figures.set(t.name, profile!);
    tables.push(tableReport(model, t, rows, files, profile!));
    options.onTable?.(t.name, rows, (performance.now() - started) / 1000);
  }

  // fan-outs need the parent's number of keys, known now that every table is profiled
  for (const [ti, t] of model.tables.entries()) {
    for (const fk of t.foreignKeys) {
      const parent = model.column(fk.ref!.table, fk.ref!.column);
      const keys = figures.get(parent.table)!.columns[parent.index]!;
      const column = tables[ti]!.columns[fk.index]!;
      column.profile.fanOut = fanOutOf(
        `${parent.table}.${parent.name}`,
        keys.rows - keys.nulls,
        figures.get(t.name)!.columns[fk.index]!.perParent ?? [],
      );
    }
  }

  const verification = options.verified ? { report: options.verified, current: true } : readVerification(out);
  const verify: VerifySummary = !verification
    ? { status: 'missing', checks: 0, violations: 0 }
    : {
        status: !verification.current ? 'stale' : verification.report.violations.length > 0 ? 'failed' : 'passed',
        checks: verification.report.checks,
        violations: verification.report.violations.length,
      };
  if (verification?.current) for (const t of tables) t.checks = checksOf(verification.report, t.name);

  return {
    model: model.name,
    database: db?.label ?? null,
    seed: { seed: manifest.seed, outputVersion: manifest.outputVersion },
    verify,
    tables,
  };
}

/** A table missing from the database, or with other columns, is the user's to fix: say how. */
async function profileOrExplain(db: Database, t: ResolvedTable): Promise<TableFigures> {
  try {
    return await profileTableSql(db, t);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === '42P01' || code === '42703')
      throw new EcomError(
        `cannot profile table "${t.name}" in ${db.label}: ${redact((e as Error).message)}`,
        [{ pointer: t.name, message: 'the database does not match the model', hint: 'run `ecom migrate` and `ecom seed` with this model' }],
        1,
        { cause: e },
      );
    throw e;
  }
}

function tableReport(
  model: ResolvedModel,
  t: ResolvedTable,
  rows: Record<string, number>,
  files: TableReport['files'],
  profile: TableFigures,
): TableReport {
  const deferred = new Set(model.deferred);
  return {
    name: t.name,
    description: t.def.description ?? null,
    declared: t.def.destination,
    destinations: [...destinationsOf(t), ...(t.def.destination === 'api' ? ['api'] : [])],
    postgresBecause: t.postgresBecause,
    rows,
    files,
    profiledFrom: t.inPostgres ? 'postgres' : t.file!,
    primaryKey: t.primaryKey.map((c) => c.name),
    columns: t.columns.map((c) => {
      const { perParent: _counted, ...figures } = profile.columns[c.index]!;
      return {
        name: c.name,
        type: describeType(c.type),
        nullable: c.nullable,
        unique: c.unique,
        primaryKey: t.primaryKey.includes(c),
        references: c.ref ? { ...c.ref, deferred: deferred.has(c) } : null,
        profile: figures,
      };
    }),
    checks: [],
  };
}

/** verify's tally for one table, with its violations under each check (checks that only failed, like a missing file, too). */
function checksOf(report: VerifyReport, table: string): CheckResult[] {
  const results = new Map<string, CheckResult>();
  for (const [check, runs] of Object.entries(report.tables[table] ?? {})) results.set(check, { check, runs, violations: [] });
  for (const v of report.violations.filter((v) => v.table === table)) {
    const r = results.get(v.check) ?? { check: v.check, runs: 0, violations: [] };
    r.violations.push({ where: v.where, detail: v.detail });
    results.set(v.check, r);
  }
  return [...results.values()];
}
