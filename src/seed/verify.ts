import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { EcomError } from '../errors.ts';
import type { ResolvedModel, ResolvedTable } from '../model/resolve.ts';
import { uniqueKeys } from '../model/keys.ts';
import { filePath } from './seed.ts';
import type { CanonRow } from './verify/canonical.ts';
import { readDatabase } from './verify/database.ts';
import { readCsv, readJson } from './verify/files.ts';
import { checkRules } from './verify/rules.ts';

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
 * rows, and the model's derived rules in every destination.
 */
export async function verify(db: Database | undefined, model: ResolvedModel, out: string): Promise<VerifyReport> {
  const report: VerifyReport = { checks: 0, violations: [], rows: {}, tables: {} };
  const data = new Map<string, Map<string, CanonRow[]>>(); // table → destination → rows
  for (const t of model.tables) {
    const byDest = new Map<string, CanonRow[]>();
    if (t.inPostgres && db) byDest.set('postgres', await readDatabase(db, t));
    const file = filePath(out, t);
    if (file) {
      const problem = (check: string, where: string, detail: string) => report.violations.push({ check, table: t.name, where, detail });
      if (!existsSync(file)) problem('file exists', file, 'missing: run `ecom seed`');
      else byDest.set(t.file!, (t.file === 'csv' ? readCsv : readJson)(file, t, problem));
    }
    data.set(t.name, byDest);
    report.rows[t.name] = Object.fromEntries([...byDest].map(([d, rows]) => [d, rows.length]));
  }

  const ran = (check: string, t: ResolvedTable) => {
    report.checks++;
    const tally = (report.tables[t.name] ??= {});
    tally[check] = (tally[check] ?? 0) + 1;
  };
  const fail = (check: string, t: ResolvedTable, where: string, detail: string) => {
    if (report.violations.filter((v) => v.check === check && v.table === t.name).length < MAX_PER_CHECK)
      report.violations.push({ check, table: t.name, where, detail });
  };

  for (const t of model.tables) {
    const byDest = data.get(t.name)!;
    const pk = t.primaryKey.map((c) => c.index);
    for (const [dest, rows] of byDest) {
      for (const key of uniqueKeys(t)) {
        const check = key.kind === 'primary key' ? 'primary key unique' : key.kind;
        ran(check, t);
        const names = key.columns.map((c) => c.name);
        const label = names.length === 1 ? `${t.name}.${names[0]}` : `${t.name}(${names.join(',')})`;
        const seen = new Set<string>();
        for (const r of rows) {
          const values = key.columns.map((c) => r[c.index] ?? null);
          // NULLs are distinct in a unique constraint, as in PostgreSQL; a primary key has none
          if (key.kind !== 'primary key' && values.includes(null)) continue;
          const id = JSON.stringify(values);
          if (seen.has(id)) fail(check, t, `${dest} ${label}=${values.join(',')}`, `duplicate value in a ${key.kind}`);
          seen.add(id);
        }
      }
    }
    // dual destinations carry identical rows
    const dests = [...byDest.keys()];
    for (let i = 1; i < dests.length; i++) {
      ran('destinations identical', t);
      const a = new Map(byDest.get(dests[0]!)!.map((r) => [pk.map((k) => r[k]).join('\u0000'), JSON.stringify(r)]));
      const b = byDest.get(dests[i]!)!;
      if (a.size !== b.length) fail('destinations identical', t, `${dests[0]} vs ${dests[i]}`, `${a.size} rows vs ${b.length} rows`);
      for (const r of b) {
        const key = pk.map((k) => r[k]).join('\u0000');
        if (a.get(key) !== JSON.stringify(r))
          fail(
            'destinations identical',
            t,
            `${dests[i]} ${t.name} key ${key}`,
            `differs from ${dests[0]}: ${JSON.stringify(r)} vs ${a.get(key) ?? '(missing)'}`,
          );
      }
    }
    // foreign keys: every value exists in the referenced table, in each of its destinations
    for (const fk of t.foreignKeys) {
      const parent = model.table(fk.ref!.table);
      const refIndex = parent.columns.find((c) => c.name === fk.ref!.column)!.index;
      for (const [pdest, prows] of data.get(parent.name)!) {
        const keys = new Set(prows.map((r) => r[refIndex]));
        for (const [dest, rows] of byDest) {
          ran('foreign key', t);
          for (const r of rows) {
            const v = r[fk.index];
            if (v !== null && v !== undefined && !keys.has(v))
              fail('foreign key', t, `${dest} ${t.name}.${fk.name}=${v}`, `no ${parent.name}.${fk.ref!.column}=${v} in ${pdest}`);
          }
        }
      }
    }
    // the rules hold in each destination (other tables read from their first); a violation in a
    // second destination names it
    const first = (table: string) => [...data.get(table)!.values()][0] ?? [];
    [...byDest].forEach(([dest, rows], d) =>
      checkRules(
        model,
        t,
        (table) => (table === t.name ? rows : first(table)),
        (check) => ran(check, t),
        (check, where, detail) => fail(check, t, d > 0 ? `${dest} ${where}` : where, detail),
      ),
    );
  }
  return report;
}
