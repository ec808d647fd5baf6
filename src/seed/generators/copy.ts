import { describeType } from '../../model/types.ts';
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
  verify(g, { column, rows, referenced, where, fail }) {
    const source = referenced(g.via, g.column);
    const c = column.index;
    for (const r of rows) {
      const v = source.of(r);
      if (v !== undefined && r[c] !== null && v !== r[c]) fail('rule copy', where(r), `${r[c]} ≠ ${source.label} ${v}`);
    }
  },
};
