import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { EcomError } from '../errors.ts';
import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../model/resolve.ts';
import { uniqueKeys, type UniqueKey } from '../model/keys.ts';
import { filePath } from './seed.ts';
import { canonical, type CanonRow } from './verify/canonical.ts';
import { loadFile } from './verify/load.ts';
import { Relation } from './verify/relation.ts';
import { checkRules, type Tally } from './verify/rules.ts';
import { CheckQueryError, VerifySession } from './verify/session.ts';

const violationSchema = z.object({ check: z.string(), table: z.string(), where: z.string(), detail: z.string() });
export type Violation = z.infer<typeof violationSchema>;

export const verifyReportSchema = z.object({
  checks: z.int().nonnegative(),
  violations: z.array(violationSchema),
  /** table → destination → rows read back */
  rows: z.record(z.string(), z.record(z.string(), z.int().nonnegative())),
  /** table → check → how many times it ran (violations name the same checks) */
  tables: z.record(z.string(), z.record(z.string(), z.int().nonnegative())),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;

const MAX_PER_CHECK = 20;

/** The error `ecom verify` and `ecom run` fail with: one problem per violation. */
export function verificationError(report: VerifyReport): EcomError {
  const n = report.violations.length;
  return new EcomError(
    `verification failed: ${n} violation${n === 1 ? '' : 's'}`,
    report.violations.map((v) => ({ pointer: v.where, message: `${v.check}: ${v.detail}` })),
  );
}

/**
 * Reads every destination back and checks every unique key (primary key, unique columns, unique
 * indexes), every foreign key across destinations, that dual-destination tables hold identical
 * rows, and the model's derived rules in every destination — all as SQL in one transaction that is never committed: the
 * files are streamed into temporary tables beside the database's, so memory does not grow with the
 * data. A model without PostgreSQL tables is checked in a scratch PGlite (see withScratch).
 */
export async function verify(db: Database | undefined, model: ResolvedModel, out: string): Promise<VerifyReport> {
  if (!db) return withScratch((scratch) => verifyIn(scratch, model, out, false));
  return verifyIn(db, model, out, true);
}

async function verifyIn(engine: Database, model: ResolvedModel, out: string, withDatabase: boolean): Promise<VerifyReport> {
  const tx = await engine.beginBulkLoad();
  try {
    // dates are compared as UTC midnights, as the generators make them
    await tx.exec(`SET LOCAL timezone TO 'UTC'`);
    // the files' temporary tables need only rough statistics (row counts, for hash joins): a small sample
    await tx.exec('SET LOCAL default_statistics_target = 10');
    return await check(new VerifySession(tx), model, out, withDatabase);
  } finally {
    await tx.rollback();
  }
}

/**
 * The scratch PGlite that models without PostgreSQL tables are checked in: opened once per process
 * (its start costs a second or more, more than verifying a small model) and reused, since a verify
 * leaves nothing in it (one transaction, rolled back); verifies take turns on it. It lives in memory
 * (from the cached empty cluster), so nothing is left on disk.
 */
interface Scratch {
  engine: Promise<Database>;
  turn: Promise<unknown>;
}
let scratch: Scratch | undefined;

function withScratch<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  if (!scratch) {
    const opened: Scratch = { engine: import('../db/pglite.ts').then((m) => m.connectPglite(m.MEMORY)), turn: Promise.resolve() };
    opened.engine.catch(() => {
      if (scratch === opened) scratch = undefined; // a failed start is tried again by the next verify
    });
    scratch = opened;
  }
  const s = scratch;
  const run = s.turn.then(async () => fn(await s.engine));
  s.turn = run.catch(() => undefined);
  return run;
}

async function check(session: VerifySession, model: ResolvedModel, out: string, withDatabase: boolean): Promise<VerifyReport> {
  const report: VerifyReport = { checks: 0, violations: [], rows: {}, tables: {} };
  const tallyOf = (t: ResolvedTable): Tally => ({
    limit: MAX_PER_CHECK,
    ran(check) {
      report.checks++;
      const tally = (report.tables[t.name] ??= {});
      tally[check] = (tally[check] ?? 0) + 1;
    },
    fail(check, where, detail) {
      if (report.violations.filter((v) => v.check === check && v.table === t.name).length < MAX_PER_CHECK)
        report.violations.push({ check, table: t.name, where, detail });
    },
  });

  const relations = new Map<string, Relation[]>(); // table → its destinations, PostgreSQL first
  for (const t of model.tables) {
    const rels: Relation[] = [];
    const rows: Record<string, number> = {};
    if (t.inPostgres && withDatabase) {
      const rel = new Relation(t, 'postgres', t.name, false);
      const [n] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${rel.as('r')}`);
      rels.push(rel);
      rows.postgres = Number(n!.n);
    }
    const file = filePath(out, t);
    if (file) {
      const problem = (check: string, where: string, detail: string) => report.violations.push({ check, table: t.name, where, detail });
      if (!existsSync(file)) problem('file exists', file, 'missing: run `ecom seed`');
      else {
        try {
          const loaded = await session.guarded(() => loadFile(session, t, file, problem));
          rels.push(loaded.relation);
          rows[t.file!] = loaded.rows;
        } catch (e) {
          if (!(e instanceof CheckQueryError)) throw e;
          problem(`${t.file} load`, file, `cannot be read into the database: ${e.message}`);
        }
      }
    }
    relations.set(t.name, rels);
    report.rows[t.name] = rows;
  }
  const relOf = (table: string): Relation => {
    const rel = relations.get(table)?.[0];
    if (!rel) throw new CheckQueryError(`no destination of ${table} could be read`);
    return rel;
  };

  for (const t of model.tables) {
    const rels = relations.get(t.name)!;
    const tally = tallyOf(t);
    const guarded = async (check: string, where: string, fn: () => Promise<void>) => {
      tally.ran(check);
      try {
        await session.guarded(fn);
      } catch (e) {
        if (!(e instanceof CheckQueryError)) throw e;
        tally.fail(check, where, `cannot be checked: ${e.message}`);
      }
    };
    for (const rel of rels)
      for (const key of uniqueKeys(t)) {
        const check = key.kind === 'primary key' ? 'primary key unique' : key.kind;
        await guarded(check, `${rel.dest} ${t.name}`, () => checkUnique(session, rel, key, check, tally));
      }
    for (const other of rels.slice(1))
      await guarded('destinations identical', `${rels[0]!.dest} vs ${other.dest}`, () =>
        checkIdentical(session, rels[0]!, other, report.rows[t.name]!, tally),
      );
    for (const fk of t.foreignKeys)
      for (const parent of relations.get(fk.ref!.table)!)
        for (const rel of rels)
          await guarded('foreign key', `${rel.dest} ${t.name}.${fk.name}`, () => checkForeignKey(session, rel, fk, parent, tally));
    // the rules hold in each destination (other tables read from their first); a violation in a
    // second destination names it
    for (const [d, rel] of rels.entries()) await checkRules(session, model, t, rel, relOf, tally, d > 0);
  }
  return report;
}

/** Values of a unique key that occur more than once (NULLs are distinct in a unique constraint, as in PostgreSQL; a primary key has none). */
async function checkUnique(session: VerifySession, rel: Relation, key: UniqueKey, check: string, tally: Tally) {
  const t = rel.table;
  const names = key.columns.map((c) => c.name);
  const label = names.length === 1 ? `${t.name}.${names[0]}` : `${t.name}(${names.join(',')})`;
  const notNull = key.kind === 'primary key' ? '' : `WHERE ${key.columns.map((c) => `${rel.value('r', c)} IS NOT NULL`).join(' AND ')}`;
  const rows = await session.query(
    `SELECT ${key.columns.map((c, i) => `min(${rel.text('r', c)}) AS _x${i}`).join(', ')} FROM ${rel.as('r')} ${notNull}
     GROUP BY ${key.columns.map((c) => rel.value('r', c)).join(', ')} HAVING count(*) > 1 LIMIT ${tally.limit}`,
  );
  for (const r of rows) {
    const values = key.columns.map((c, i) => canonical(c, r[`_x${i}`] ?? null));
    tally.fail(check, `${rel.dest} ${label}=${values.join(',')}`, `duplicate value in a ${key.kind}`);
  }
}

/** The second destination `b` of a table holds the rows of the first, `a`: the same keys with the same values. */
async function checkIdentical(session: VerifySession, a: Relation, b: Relation, counts: Record<string, number>, tally: Tally) {
  const t = a.table;
  if (counts[a.dest] !== counts[b.dest])
    tally.fail('destinations identical', `${a.dest} vs ${b.dest}`, `${counts[a.dest]} rows vs ${counts[b.dest]} rows`);
  const values = (rel: Relation, alias: string) => t.columns.map((c) => rel.value(alias, c)).join(', ');
  const pk = t.primaryKey;
  const rows = await session.query(
    `SELECT ${a.row('a', '_a')}, ${b.row('b', '_b')}, ${a.value('a', pk[0]!)} IS NULL AS only_b, ${b.value('b', pk[0]!)} IS NULL AS only_a
     FROM ${a.as('a')} FULL JOIN ${b.as('b')} ON ${pk.map((c) => `${a.value('a', c)} = ${b.value('b', c)}`).join(' AND ')}
     WHERE ${a.value('a', pk[0]!)} IS NULL OR ${b.value('b', pk[0]!)} IS NULL OR ROW(${values(a, 'a')}) IS DISTINCT FROM ROW(${values(b, 'b')})
     LIMIT ${tally.limit}`,
  );
  const keyOf = (r: CanonRow) => pk.map((c) => r[c.index]).join('\u0000');
  for (const r of rows) {
    const ra = a.rowOf(r, '_a');
    const rb = b.rowOf(r, '_b');
    if (r.only_a)
      tally.fail('destinations identical', `${b.dest} ${t.name} key ${keyOf(ra)}`, `missing: ${a.dest} has ${JSON.stringify(ra)}`);
    else
      tally.fail(
        'destinations identical',
        `${b.dest} ${t.name} key ${keyOf(rb)}`,
        `differs from ${a.dest}: ${JSON.stringify(rb)} vs ${r.only_b ? '(missing)' : JSON.stringify(ra)}`,
      );
  }
}

/** Values of foreign key `fk` in `rel` with no row in (one destination of) the referenced table. */
async function checkForeignKey(session: VerifySession, rel: Relation, fk: ResolvedColumn, parent: Relation, tally: Tally) {
  const t = rel.table;
  const ref = parent.column(fk.ref!.column);
  const rows = await session.query(
    `SELECT ${rel.text('r', fk)} AS _x0 FROM ${rel.as('r')}
     WHERE ${rel.value('r', fk)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${parent.as('p')} WHERE ${parent.value('p', ref)} = ${rel.value('r', fk)})
     LIMIT ${tally.limit}`,
  );
  for (const r of rows) {
    const v = canonical(fk, r._x0 ?? null);
    tally.fail('foreign key', `${rel.dest} ${t.name}.${fk.name}=${v}`, `no ${parent.table.name}.${ref.name}=${v} in ${parent.dest}`);
  }
}
