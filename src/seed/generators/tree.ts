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
  async verify(g, { rel, column, violations, where, fail }) {
    // each row's ancestors end at a root within levels - 1 steps (which also rules out cycles): the
    // walk up stops there, so it holds at most levels rows per row
    const levels = g.levels ?? 2;
    const parentKey = rel.column(column.ref!.column);
    const key = rel.value('p', parentKey);
    const rows = await violations(
      `WITH RECURSIVE up(start, at, depth) AS (
         SELECT ${rel.value('r', parentKey)}, ${rel.value('r', column)}, 1 FROM ${rel.as('r')} WHERE ${rel.value('r', column)} IS NOT NULL
         UNION ALL
         SELECT up.start, ${rel.value('p', column)}, up.depth + 1 FROM up JOIN ${rel.as('p')} ON ${key} = up.at
         WHERE ${rel.value('p', column)} IS NOT NULL AND up.depth < ${levels}
       )
       SELECT ${rel.row('r')} FROM ${rel.as('r')}
       WHERE ${rel.value('r', parentKey)} IN (SELECT start FROM up WHERE depth >= ${levels})`,
    );
    for (const { row } of rows) fail('rule tree', where(row), `more than ${levels} levels above this row (or a cycle)`);
  },
};
