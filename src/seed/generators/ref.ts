import type { CompileContext, GeneratorKind, GeneratorOf, Produce } from './kind.ts';

/** The key of a parent row, spread over the parents as the model asks. */
export const ref: GeneratorKind<GeneratorOf<'ref'>> = {
  check(g, at, { column, foreignKey, add }) {
    if (!column.references) add(at, `"ref" generator on "${column.name}", which is not a foreign key`, 'add "references" to the column');
    if (g.nullRate !== undefined && !column.nullable) add(`${at}/nullRate`, `"nullRate" on non-nullable column "${column.name}"`);
    if (g.distinctPer !== undefined) foreignKey(g.distinctPer, `${at}/distinctPer`);
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile: (_g, cx) => parentKey(cx),
  parentLayout: (g, column) => ({ spread: g.spread, distinctPer: g.distinctPer, nullRate: g.nullRate ?? column.def.nullRate }),
};

/** The referenced column of the row's parent row (see parentLayout), NULL without one. */
export function parentKey({ column, rows, table }: CompileContext): Produce {
  const fk = column.name;
  const parents = table(column.ref!.table);
  const key = column.ref!.column;
  return (row) => {
    const parent = rows.group(fk, row).parent;
    return parent === null ? null : parents.value(parent, key);
  };
}
