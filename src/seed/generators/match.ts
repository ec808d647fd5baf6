import { casesOf, compileCases } from './cases.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** The generator of the case named by another column of the same row. */
export const match: GeneratorKind<GeneratorOf<'match'>> = {
  check(g, at, { table, columnOf, add }) {
    if (!columnOf(table.name, g.column)) add(`${at}/column`, `column "${g.column}" does not exist in table "${table.name}"`);
  },
  cannotRepeat: () => true, // as its cases: see nested
  rowDependencies: (g) => [g.column],
  nested: casesOf,
  compile: (g, cx) => compileCases(g, cx, cx.groupVia, (row) => cx.rows.value(row, g.column)),
};
