import { describeType, isInteger } from '../../model/types.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** start, start + 1, … by row. */
export const sequence: GeneratorKind<GeneratorOf<'sequence'>> = {
  check(_g, at, { type, column, add }) {
    if (!isInteger(type)) add(at, `"sequence" needs an int, smallint or bigint column, and "${column.name}" is ${describeType(type)}`);
  },
  cannotRepeat: () => true,
  rowDependencies: () => [],
  compile(g, { column }) {
    const start = g.start ?? 1;
    return column.type.base === 'bigint' ? (row) => BigInt(start) + BigInt(row) : (row) => start + row;
  },
};
