import type { GeneratorKind, GeneratorOf } from './kind.ts';
import { parentKey } from './ref.ts';

/** A self-reference forming a forest: the first `roots` rows are roots, the others their descendants. */
export const tree: GeneratorKind<GeneratorOf<'tree'>> = {
  check(g, at, { table, column, add }) {
    if (column.references?.table !== table.name) add(at, `"tree" needs a foreign key to its own table ("${table.name}")`);
    if (!column.nullable) add(at, `"tree" needs a nullable column: roots have no parent`, 'add "nullable": true');
    if (g.roots > table.count) add(`${at}/roots`, `${g.roots} roots but only ${table.count} rows`);
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile: (_g, cx) => parentKey(cx),
  parentLayout: (g) => ({ roots: g.roots }),
};
