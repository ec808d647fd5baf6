import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** The k-th value for the k-th row (of its parent's children inside byRef); "value 2" and on when they run out. */
export const list: GeneratorKind<GeneratorOf<'list'>> = {
  check: () => {}, // its values are not checked against the column's type
  cannotRepeat: () => true,
  rowDependencies: () => [],
  compile(g, { rows, groupVia }) {
    const values = g.values;
    return (row) => {
      const k = groupVia ? rows.group(groupVia, row).ordinal : row;
      const round = Math.floor(k / values.length);
      return values[k % values.length]! + (round > 0 ? ` ${round + 1}` : '');
    };
  },
};
