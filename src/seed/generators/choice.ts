import { coerce } from './coerce.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** One of a list of values, optionally weighted. */
export const choice: GeneratorKind<GeneratorOf<'choice'>> = {
  check(g, at, { type, column, add }) {
    if (g.weights && g.weights.length !== g.values.length)
      add(`${at}/weights`, `${g.weights.length} weights for ${g.values.length} values`, 'give one weight per value');
    if (g.weights && g.weights.every((w) => w === 0)) add(`${at}/weights`, 'all weights are zero');
    if (type.base === 'enum')
      g.values.forEach((v, i) => {
        if (!column.values?.includes(String(v)))
          add(`${at}/values/${i}`, `"${v}" is not a value of enum column "${column.name}"`, `use one of: ${column.values?.join(', ')}`);
      });
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile(g, { column }) {
    const weights = g.weights ?? g.values.map(() => 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const cum: number[] = [];
    let acc = 0;
    for (const w of weights) cum.push((acc += w) / total);
    const values = g.values.map((v) => coerce(v, column));
    return (_row, rng) => {
      const u = rng.next();
      let i = 0;
      while (i < cum.length - 1 && u >= cum[i]!) i++;
      return values[i]!;
    };
  },
};
