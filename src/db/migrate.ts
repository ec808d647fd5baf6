import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { generatedFrom } from '../../generators/header.ts';
import { EcomError, redact } from '../errors.ts';
import type { Database } from './database.ts';
import { openSchemaEngine } from './schema-engine.ts';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

export interface MigrateOptions {
  schemaFile: string;
  migrationsDir: string;
  name?: string | undefined;
  createOnly?: boolean | undefined;
  acceptDataLoss?: boolean | undefined;
  /**
   * Record the migrations as applied without running them (Prisma's `migrate resolve --applied`),
   * for a database that already has the schema but no migration history; refused unless the
   * database's schema is the model's.
   */
  baseline?: boolean | undefined;
  /** For the migration folder's timestamp. */
  now?: Date;
}

export interface MigrateResult {
  created?: { name: string; dir: string; warnings: string[] };
  applied: string[];
  /** With `baseline`: the migrations recorded as applied without running them. */
  baselined?: string[];
}

/**
 * Where a project keeps its migrations: one history per model, `prisma/migrations/<model name>/`,
 * each laid out as Prisma lays out a migrations folder. A model's history is only ever diffed
 * against the same model, and a database migrated before this layout keeps working: migration
 * names (what `_prisma_migrations` records) did not change, only their parent folder.
 */
export const MIGRATIONS_ROOT = 'prisma/migrations';

/** The model's migrations folder (relative to `root`), refusing the flat layout of earlier versions. */
export function migrationsDirOf(modelName: string, root = '.'): string {
  const dir = join(MIGRATIONS_ROOT, modelName);
  const flat = listMigrations(join(root, MIGRATIONS_ROOT));
  if (flat.length > 0) {
    const snapshot = join(root, MIGRATIONS_ROOT, flat.at(-1)!, SNAPSHOT);
    const from = existsSync(snapshot) ? generatedFrom(readFileSync(snapshot, 'utf8')) : undefined;
    throw new EcomError(`${MIGRATIONS_ROOT} holds migrations directly, as before each model had its own history`, [
      {
        pointer: join(MIGRATIONS_ROOT, flat[0]!),
        message: `${flat.length} migration folder${flat.length === 1 ? '' : 's'} (${flat.join(', ')}) outside any model's folder${from ? `; made from ${from}` : ''}`,
        hint: `move them, with migration_lock.toml, into ${MIGRATIONS_ROOT}/<name>/ where <name> is the "name" of the model they were made from (e.g. \`mkdir -p ${dir} && mv ${MIGRATIONS_ROOT}/[0-9]*_* ${MIGRATIONS_ROOT}/migration_lock.toml ${dir}/\`); databases already migrated keep working`,
      },
    ]);
  }
  return dir;
}
const LOCK_FILE = 'migration_lock.toml';
const SNAPSHOT = 'schema.prisma';
const NO_FILTER = { externalTables: [] as string[], externalEnums: [] as string[] };

/** The migration folders, oldest first (their names start with a UTC timestamp). */
export function listMigrations(migrationsDir: string): string[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

/**
 * Creates a migration from the difference between the last migration's schema snapshot and the
 * current schema, then applies every pending migration the way `prisma migrate deploy` does
 * (same `_prisma_migrations` bookkeeping, same checksums), through the WASM schema engine.
 */
export async function migrate(db: Database, options: MigrateOptions): Promise<MigrateResult> {
  if (!existsSync(options.schemaFile)) throw new EcomError(`${options.schemaFile} does not exist: run \`ecom codegen\` first`);
  const schema = readFileSync(options.schemaFile, 'utf8');
  const dir = resolve(options.migrationsDir);
  const existing = listMigrations(dir);
  const { engine, scriptError } = await openSchemaEngine(db, schema);
  try {
    if (!options.createOnly) await assertSameHistory(engine, dir, existing);
    const result: MigrateResult = { applied: [] };
    const last = existing.at(-1);
    let previous: string | undefined;
    if (last) {
      const snapshot = join(dir, last, SNAPSHOT);
      if (!existsSync(snapshot)) {
        throw new EcomError(`migration ${last} has no ${SNAPSHOT} snapshot, so ecom cannot tell what changed since`, [
          { pointer: snapshot, message: 'missing schema snapshot', hint: `copy the schema.prisma that produced ${last} to ${snapshot}` },
        ]);
      }
      previous = readFileSync(snapshot, 'utf8');
    }
    const diff = await engine.diff({
      from: previous === undefined ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: SNAPSHOT, content: previous }] },
      to: { tag: 'schemaDatamodel', files: [{ path: SNAPSHOT, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    const sql = diff.stdout ?? '';
    if (!isEmptyMigration(sql)) {
      const warnings = migrationWarnings(sql);
      if (warnings.length > 0 && !options.acceptDataLoss) {
        throw new EcomError(
          'the schema change would lose data, so no migration was created',
          warnings.map((w) => ({
            ...w,
            hint: 'back up what you need, then run again with --accept-data-loss',
          })),
        );
      }
      const name = `${timestamp(options.now ?? new Date(), last)}_${slug(options.name ?? (last ? 'update' : 'init'))}`;
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'migration.sql'), sql.endsWith('\n') ? sql : sql + '\n');
      writeFileSync(join(dir, name, SNAPSHOT), schema);
      if (!existsSync(join(dir, LOCK_FILE))) {
        writeFileSync(
          join(dir, LOCK_FILE),
          '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
        );
      }
      result.created = { name, dir: join(dir, name), warnings: warnings.map((w) => w.message) };
    }
    if (options.createOnly) return result;

    const all = listMigrations(dir);
    if (options.baseline) {
      try {
        result.baselined = await baseline(db, engine, dir, all, schema);
      } catch (e) {
        if (result.created) rmSync(result.created.dir, { recursive: true, force: true });
        throw e;
      }
      return result;
    }
    try {
      const out = await engine.applyMigrations({ migrationsList: migrationList(dir, all), filters: NO_FILTER });
      result.applied = out.appliedMigrationNames;
    } catch (e) {
      if (result.created) rmSync(result.created.dir, { recursive: true, force: true });
      if ((e as { code?: string }).code === 'P3005') throw notEmptyError(dir, e);
      const failed = await forgetFailedMigration(db);
      throw new EcomError(
        `${failed ? `migration ${failed}` : 'a migration'} failed and was rolled back; the database is as it was`,
        [
          {
            pointer: failed ? join(dir, failed, 'migration.sql') : dir,
            message: redact(scriptError()?.message ?? engineMessage(e)),
            hint: result.created
              ? 'the new migration folder was removed; change the model (e.g. give the new column a default or make it nullable) and migrate again'
              : 'fix the migration SQL and migrate again',
          },
        ],
        1,
        { cause: e },
      );
    }
    return result;
  } finally {
    try {
      engine.free();
    } catch {
      // already released after a failure
    }
  }
}

/**
 * Refuses a database whose migration history has migrations this folder lacks: it was migrated from
 * another model's history (or another checkout's), and applying this one on top would mix two schemas.
 */
async function assertSameHistory(engine: SchemaEngine, dir: string, names: string[]): Promise<void> {
  const { history } = await engine.diagnoseMigrationHistory({
    migrationsList: migrationList(dir, names),
    optInToShadowDatabase: false,
    filters: NO_FILTER,
  });
  const foreign = history && 'unpersistedMigrationNames' in history ? history.unpersistedMigrationNames : [];
  if (foreign.length === 0) return;
  const shown = display(dir);
  // the history they come from, when it is another model's in the same project
  const siblings = existsSync(dirname(dir)) ? readdirSync(dirname(dir)) : [];
  const owner = siblings.find((m) => m !== basename(dir) && existsSync(join(dirname(dir), m, foreign[0]!, 'migration.sql')));
  throw new EcomError(`the database was migrated with migrations that ${shown} does not have, so it holds another schema`, [
    {
      pointer: '_prisma_migrations',
      message: `applied in the database but not in ${shown}: ${foreign.join(', ')} (${owner ? `model "${owner}"'s history, in ${join(dirname(shown), owner)}` : "another model's history, or another checkout's"})`,
      hint: 'migrate an empty database instead: another DATABASE_URL, or a new PGlite folder (ECOM_PGLITE_DIR=.ecom/<name>); or restore those migration folders',
    },
  ]);
}

/** A folder as the user knows it: relative to the working directory when inside it. */
function display(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') ? rel : dir;
}

/** Prisma's P3005, said with what to do about it. */
function notEmptyError(dir: string, cause: unknown): EcomError {
  const shown = display(dir);
  return new EcomError(
    'the database already has tables but no migration history, so nothing was applied',
    [
      {
        pointer: '_prisma_migrations',
        message:
          'missing while the schema is not empty (Prisma P3005): the database was restored from a plain SQL dump without the history, or made by another tool',
        hint: `if it already has the model's schema, run \`ecom migrate --baseline\` to record ${shown} as applied (it checks the schema first); otherwise migrate an empty database`,
      },
    ],
    1,
    { cause },
  );
}

/**
 * Records every migration the database has not applied as applied, as `prisma migrate resolve
 * --applied` does, after checking that the database's schema is the model's: a baseline over a
 * different schema would make every later migration fail or lose data.
 */
async function baseline(db: Database, engine: SchemaEngine, dir: string, names: string[], schema: string): Promise<string[]> {
  const diff = await engine.diff({
    from: { tag: 'schemaDatasource', files: [{ path: SNAPSHOT, content: schema }], configDir: dir },
    to: { tag: 'schemaDatamodel', files: [{ path: SNAPSHOT, content: schema }] },
    script: true,
    exitCode: null,
    filters: NO_FILTER,
  });
  const sql = diff.stdout ?? '';
  const differences = isEmptyMigration(sql) ? [] : schemaDifferences(sql);
  if (differences.length > 0) {
    throw new EcomError(
      `the database's schema differs from the model's in ${differences.length} place${differences.length === 1 ? '' : 's'}, so it was not baselined`,
      differences.map((d) => ({
        ...d,
        hint: 'change the model or the database until they match; an empty database needs no baseline: run `ecom migrate` without --baseline',
      })),
    );
  }
  const applied = new Set(
    (await db.query<{ exists: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists"))[0]?.exists
      ? (await db.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations WHERE rolled_back_at IS NULL')).map(
          (r) => r.migration_name,
        )
      : [],
  );
  const pending = names.filter((n) => !applied.has(n));
  for (const migrationName of pending) await engine.markMigrationApplied({ migrationName, migrationsList: migrationList(dir, names) });
  return pending;
}

/**
 * The steps of a diff from the database to the model, each as the table (or table.column) it
 * concerns and what the database lacks or has in excess. ecom's own bookkeeping tables are not
 * the model's concern.
 */
export function schemaDifferences(sql: string): { pointer: string; message: string }[] {
  const out: { pointer: string; message: string }[] = [];
  for (const step of sql.split(/^-- /m).slice(1)) {
    const [kind = '', ...rest] = step.split('\n');
    const body = rest.join(' ');
    const table = /(?:TABLE|ON)\s+"([^"]+)"/.exec(body)?.[1] ?? /TYPE\s+"([^"]+)"/.exec(body)?.[1] ?? '';
    if (table.startsWith('_ecom_')) continue;
    const name = /(?:INDEX|CONSTRAINT)\s+"([^"]+)"/.exec(body)?.[1];
    const columns = (text: string | undefined) => [...(text ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    const onColumns = columns(/ON\s+"[^"]+"\s*\(([^)]*)\)/.exec(body)?.[1]);
    const keyColumns = columns(/FOREIGN KEY\s*\(([^)]*)\)/.exec(body)?.[1]);
    const add = [...body.matchAll(/ADD COLUMN\s+"([^"]+)"/g)].map((m) => m[1]!);
    const drop = [...body.matchAll(/DROP COLUMN\s+"([^"]+)"/g)].map((m) => m[1]!);
    const alter = [...new Set([...body.matchAll(/ALTER COLUMN\s+"([^"]+)"/g)].map((m) => m[1]!))];
    const at = (cols: string[]) => (cols.length ? `${table}.${cols.length === 1 ? cols[0] : `(${cols.join(', ')})`}` : table);
    const push = (cols: string[], message: string) => out.push({ pointer: at(cols), message });
    switch (kind.trim()) {
      case 'CreateTable':
        push([], `the model has table ${table}; the database does not`);
        break;
      case 'DropTable':
        push([], `the database has table ${table}; the model does not`);
        break;
      case 'AlterTable':
        for (const c of add) push([c], 'the model has this column; the database does not');
        for (const c of drop) push([c], 'the database has this column; the model does not');
        for (const c of alter) push([c], "the column's type, default or nullability differs from the model's");
        if (!add.length && !drop.length && !alter.length) push([], `the table differs from the model's (${kind.trim()})`);
        break;
      case 'CreateIndex':
        push(onColumns, `the model has ${/UNIQUE/.test(body) ? 'unique ' : ''}index ${name}; the database does not`);
        break;
      case 'DropIndex':
        push([], `the database has index ${name}; the model does not`);
        break;
      case 'AddForeignKey':
        push(keyColumns, `the model has foreign key ${name}; the database does not`);
        break;
      case 'DropForeignKey':
        push([], `the database has foreign key ${name}; the model does not`);
        break;
      default:
        push([], `differs from the model (${kind.trim()}${table ? '' : `: ${body.trim().slice(0, 120)}`})`);
    }
  }
  return out;
}

function migrationList(baseDir: string, names: string[]) {
  const lock = join(baseDir, LOCK_FILE);
  return {
    baseDir,
    lockfile: { path: LOCK_FILE, content: existsSync(lock) ? readFileSync(lock, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((n) => ({
      path: n,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: readFileSync(join(baseDir, n, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/**
 * PostgreSQL runs each migration script in one implicit transaction, so a failed script changes
 * nothing but the engine's failure record. Removing that record lets the fixed migration run later
 * instead of blocking every deploy (Prisma's P3009).
 */
async function forgetFailedMigration(db: Database): Promise<string | undefined> {
  try {
    const rows = await db.query<{ migration_name: string }>(
      'DELETE FROM "_prisma_migrations" WHERE finished_at IS NULL AND rolled_back_at IS NULL RETURNING migration_name',
    );
    return rows[0]?.migration_name;
  } catch {
    return undefined;
  }
}

function engineMessage(e: unknown): string {
  const err = e as { message?: string; meta?: { message?: string } };
  return (err.message ?? String(e))
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 8)
    .join(' ');
}

export function isEmptyMigration(sql: string): boolean {
  return sql.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('--'));
}

/**
 * The statements of a migration script that lose data. The engine's diff between two schemas
 * carries no warnings (those need `migrate dev` and a shadow database), so they are read off the SQL.
 */
export function migrationWarnings(sql: string): { pointer: string; message: string }[] {
  const warnings: { pointer: string; message: string }[] = [];
  const warn = (pointer: string, message: string) => warnings.push({ pointer, message });
  for (const stmt of sql.replace(/--.*$/gm, '').split(';')) {
    const table = /ALTER TABLE\s+"([^"]+)"/i.exec(stmt)?.[1];
    for (const m of stmt.matchAll(/DROP TABLE\s+(?:IF EXISTS\s+)?"([^"]+)"/gi))
      warn(m[1]!, `You are about to drop the table \`${m[1]}\`: all its rows will be lost.`);
    for (const m of stmt.matchAll(/DROP COLUMN\s+"([^"]+)"/gi))
      warn(
        `${table}.${m[1]}`,
        `You are about to drop the column \`${m[1]}\` on the \`${table}\` table: all the data in the column will be lost.`,
      );
    for (const m of stmt.matchAll(/ALTER COLUMN\s+"([^"]+)"\s+SET DATA TYPE\s+([^,;]+)/gi))
      warn(
        `${table}.${m[1]}`,
        `The column \`${m[1]}\` on the \`${table}\` table changes type to ${m[2]!.trim()}: existing values may be lost or fail to convert.`,
      );
    for (const m of stmt.matchAll(/DROP TYPE\s+"([^"]+)"/gi))
      warn(m[1]!, `The enum \`${m[1]}\` is dropped or loses values: rows using removed values will fail to migrate.`);
  }
  return warnings;
}

function timestamp(now: Date, last: string | undefined): string {
  let ts = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const lastTs = last?.slice(0, 14);
  if (lastTs && ts <= lastTs) ts = String(Number(lastTs) + 1); // keep folders strictly ordered
  return ts;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'migration'
  );
}
