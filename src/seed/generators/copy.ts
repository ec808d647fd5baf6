import { describeType } from '../../model/types.ts';
import { canonical } from '../verify/canonical.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** The referenced row's column, e.g. an order item's price at the time of the order. */
export const copy: GeneratorKind<GeneratorOf<'copy'>> = {
  check(g, at, { column, type, columnOf, typeOf, foreignKey, add }) {
    const ref = foreignKey(g.via, `${at}/via`);
    if (!ref) return;
    const src = typeOf(ref.table, g.column);
    if (!columnOf(ref.table, g.column)) add(`${at}/column`, `column "${g.column}" does not exist in table "${ref.table}"`);
    else if (src && (src.base !== type.base || !src.array !== !type.array))
      add(`${at}/column`, `cannot copy ${describeType(src)} "${ref.table}.${g.column}" into ${describeType(type)} "${column.name}"`);
  },
  cannotRepeat: () => false,
  rowDependencies: (g) => [g.via],
  compile:
    (g, { rows }) =>
    (row) =>
      rows.refValue(row, g.via, g.column),
  async verify(g, { rel, column, join, violations, where, fail }) {
    const parent = join(rel, 'r', g.via, 'p');
    const source = parent.rel.column(g.column);
    const rows = await violations(
      `SELECT ${rel.row('r')}, ${parent.rel.text('p', source)} AS _x0 FROM ${rel.as('r')} JOIN ${parent.sql}
       WHERE ${rel.value('r', column)} IS NOT NULL AND ${parent.rel.value('p', source)} IS DISTINCT FROM ${rel.value('r', column)}`,
    );
    for (const { row, extra } of rows)
      fail('rule copy', where(row), `${row[column.index]} ≠ ${parent.rel.table.name}.${g.column} ${canonical(source, extra[0] ?? null)}`);
  },
};
