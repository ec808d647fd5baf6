import type { ResolvedModel, ResolvedTable } from '../../model/resolve.ts';
import { kindOf } from '../generators/index.ts';
import type { VerifiedRow, VerifyContext } from '../generators/kind.ts';
import type { Relation } from './relation.ts';
import { CheckQueryError, type VerifySession } from './session.ts';

/** What the checks of one table report to: a check ran, a check failed (at most `limit` kept per check). */
export interface Tally {
  ran(check: string): void;
  fail(check: string, where: string, detail: string): void;
  limit: number;
}

/** The context a rule's check gets for table `t` in destination `rel`. */
export function verifyContext(
  session: VerifySession,
  model: ResolvedModel,
  t: ResolvedTable,
  rel: Relation,
  relOf: (table: string) => Relation,
  tally: Tally,
): Omit<VerifyContext, 'column' | 'where'> {
  const read = (records: Record<string, unknown>[]): VerifiedRow[] =>
    records.map((r) => {
      const extra: (string | null)[] = [];
      for (let i = 0; `_x${i}` in r; i++) extra.push(r[`_x${i}`] == null ? null : String(r[`_x${i}`]));
      return { row: rel.rowOf(r), extra };
    });
  return {
    model,
    table: t,
    rel,
    relOf,
    join(from, alias, via, as) {
      const fk = from.column(via);
      const parent = relOf(fk.ref!.table);
      return { rel: parent, sql: `${parent.as(as)} ON ${parent.value(as, parent.column(fk.ref!.column))} = ${from.value(alias, fk)}` };
    },
    violations: async (sql) => read(await session.guarded(() => session.query(`${sql} LIMIT ${tally.limit}`))),
    stream: (sql, onRows) => session.guarded(() => session.stream(sql, (rows) => onRows(read(rows)))),
    fail: tally.fail,
  };
}

/**
 * Re-checks the rules that the generators of `t`'s columns promise (copy, after, sum, ref from,
 * rank, address), each reported as "rule <kind>", on the rows of destination `rel`.
 */
export async function checkRules(
  session: VerifySession,
  model: ResolvedModel,
  t: ResolvedTable,
  rel: Relation,
  relOf: (table: string) => Relation,
  tally: Tally,
  /** Whether violations name the destination (all but the table's first). */
  named = false,
): Promise<void> {
  const pk = t.primaryKey[0]!;
  const base = verifyContext(session, model, t, rel, relOf, tally);
  for (const column of t.columns) {
    const g = column.def.generate;
    const verify = g && kindOf(g).verify;
    if (!g || !verify) continue;
    const check = `rule ${g.kind}`;
    tally.ran(check);
    try {
      await verify(g, {
        ...base,
        column,
        where: (r) => `${named ? `${rel.dest} ` : ''}${t.name}.${column.name} (${pk.name}=${r[pk.index]})`,
      });
    } catch (e) {
      if (!(e instanceof CheckQueryError)) throw e;
      tally.fail(check, `${rel.dest} ${t.name}.${column.name}`, `cannot be checked: ${e.message}`);
    }
  }
}
