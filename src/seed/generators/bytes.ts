import { describeType } from '../../model/types.ts';
import { hexBytes } from './coerce.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

const MIN = 8;
const MAX = 32;

const bounds = (g: GeneratorOf<'bytes'>) => {
  const min = g.min ?? Math.min(MIN, g.max ?? MIN);
  return { min, max: g.max ?? Math.max(min, MAX) };
};

/** Random bytes for a bytea column, between `min` and `max` of them (written as PostgreSQL's hex text, "\x0a1b…"). */
export const bytes: GeneratorKind<GeneratorOf<'bytes'>> = {
  check(g, at, { type, column, add }) {
    if (type.base !== 'bytea' || type.array) add(at, `"bytes" needs a bytea column, and "${column.name}" is ${describeType(type)}`);
    if (g.min !== undefined && g.max !== undefined && g.min > g.max) add(`${at}/min`, `min ${g.min} is greater than max ${g.max}`);
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile(g) {
    const { min, max } = bounds(g);
    return (_row, rng) => {
      const out = new Uint8Array(min + rng.int(max - min + 1));
      for (let i = 0; i < out.length; i++) out[i] = rng.uint32() & 0xff;
      return hexBytes(out);
    };
  },
  async verify(g, { rel, column, violations, where, fail }) {
    const { min, max } = bounds(g);
    const n = `octet_length(${rel.value('r', column)})`;
    const rows = await violations(`SELECT ${rel.row('r')}, ${n} AS _x0 FROM ${rel.as('r')} WHERE ${n} NOT BETWEEN ${min} AND ${max}`);
    for (const { row, extra } of rows) fail('rule bytes', where(row), `${extra[0]} bytes, not ${min}-${max}`);
  },
};
