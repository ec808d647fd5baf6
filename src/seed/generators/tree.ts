import type { GeneratorKind, GeneratorOf } from './kind.ts';
import { parentKey } from './ref.ts';

/**
 * A self-reference forming a forest of `levels` levels: the first `roots` rows are roots, the rows
 * after them are split evenly into the next levels, each row's parent a row of the level before
 * (categories, subcategories, sub-subcategories).
 */
export const tree: GeneratorKind<GeneratorOf<'tree'>> = {
  check(g, at, { table, column, add }) {
    if (column.references?.table !== table.name) add(at, `"tree" needs a foreign key to its own table ("${table.name}")`);
    if (!column.nullable) add(at, `"tree" needs a nullable column: roots have no parent`, 'add "nullable": true');
    if (g.roots > table.count) add(`${at}/roots`, `${g.roots} roots but only ${table.count} rows`);
    const levels = g.levels ?? 2;
    if (levels > 2 && column.unique)
      add(`${at}/levels`, `"${column.name}" is unique, so each row has one child at most and the tree is chains`, 'remove "levels"');
    else if (g.roots <= table.count && levels - 1 > table.count - g.roots)
      add(
        `${at}/levels`,
        `${levels} levels need a row for each level below the roots, and there are ${table.count - g.roots}`,
        'lower "levels" or "roots"',
      );
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile: (_g, cx) => parentKey(cx),
  parentLayout: (g) => ({ roots: g.roots, ...(g.levels ? { levels: g.levels } : {}) }),
  verify(g, { table, column, rows, where, fail }) {
    // each row's ancestors end at a root within levels - 1 steps (which also rules out cycles)
    const key = table.columns.find((c) => c.name === table.def.columns.find((x) => x.name === column.name)!.references!.column)!.index;
    const parentOf = new Map(rows.map((r) => [r[key], r[column.index] ?? null]));
    const levels = g.levels ?? 2;
    for (const r of rows) {
      let at: string | null | undefined = r[column.index];
      let depth = 0;
      while (at !== null && at !== undefined && depth < levels) {
        at = parentOf.get(at);
        depth++;
      }
      if (depth >= levels) fail('rule tree', where(r), `more than ${levels} levels above this row (or a cycle)`);
    }
  },
};
