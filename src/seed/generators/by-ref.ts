import { casesOf, compileCases } from './cases.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** The generator of the case named by the referenced row's value (context-aware data). */
export const byRef: GeneratorKind<GeneratorOf<'byRef'>> = {
  check(g, at, { columnOf, foreignKey, add }) {
    const ref = foreignKey(g.via, `${at}/via`);
    if (ref && !columnOf(ref.table, g.column)) add(`${at}/column`, `column "${g.column}" does not exist in table "${ref.table}"`);
  },
  cannotRepeat: () => true, // as its cases: see nested
  rowDependencies: (g) => [g.via],
  nested: casesOf,
  // a list in a case numbers the rows among the siblings of the referenced parent
  compile: (g, cx) => compileCases(g, cx, g.via, (row) => cx.rows.refValue(row, g.via, g.column)),
};
