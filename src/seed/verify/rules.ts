import type { ResolvedModel, ResolvedTable } from '../../model/resolve.ts';
import { kindOf } from '../generators/index.ts';
import type { CanonRow } from './canonical.ts';

/** Re-checks the rules that the generators of `t`'s columns promise (copy, after, sum), each reported to `ran` as "rule <kind>". */
export function checkRules(
  model: ResolvedModel,
  t: ResolvedTable,
  rowsOf: (table: string) => CanonRow[],
  ran: (check: string) => void,
  fail: (check: string, where: string, detail: string) => void,
): void {
  const rows = rowsOf(t.name);
  const pk = t.primaryKey[0]!;
  /** For each row, the value of `column` in the row its foreign key `via` references. */
  const referenced = (via: string, column: string) => {
    const fk = t.columns.find((x) => x.name === via)!;
    const parent = model.table(fk.ref!.table);
    const key = parent.columns.find((x) => x.name === fk.ref!.column)!.index;
    const src = parent.columns.find((x) => x.name === column)!.index;
    const values = new Map(rowsOf(parent.name).map((p) => [p[key], p[src]]));
    return { label: `${parent.name}.${column}`, of: (r: CanonRow) => values.get(r[fk.index]!) };
  };
  for (const column of t.columns) {
    const g = column.def.generate;
    const verify = g && kindOf(g).verify;
    if (!g || !verify) continue;
    ran(`rule ${g.kind}`);
    verify(g, {
      model,
      table: t,
      column,
      rows,
      rowsOf,
      referenced,
      where: (r) => `${t.name}.${column.name} (${pk.name}=${r[pk.index]})`,
      fail,
    });
  }
}
