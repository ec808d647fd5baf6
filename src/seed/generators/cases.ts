import { EcomError } from '../../errors.ts';
import type { Generator } from '../../model/schema.ts';
import type { Value } from '../engine.ts';
import type { CompileContext, GeneratorOf, Produce } from './kind.ts';

/** byRef and match: a generator chosen per row by a key value. */
type Switch = GeneratorOf<'byRef' | 'match'>;

const SUFFIX = / (\d+)$/;

/** The cases and the default, with their JSON pointers relative to the switch. */
export function casesOf(g: Switch): [string, Generator][] {
  return [
    ...Object.entries(g.cases).map(([k, sub]): [string, Generator] => [`cases/${escapePointer(k)}`, sub]),
    ...(g.default ? [['default', g.default] as [string, Generator]] : []),
  ];
}

/** Compiles every case once; each row then takes the case named by its `key` value. */
export function compileCases(g: Switch, cx: CompileContext, groupVia: string | undefined, key: (row: number) => Value): Produce {
  const cases = new Map(Object.entries(g.cases).map(([k, sub]) => [k, cx.compile(sub, groupVia)]));
  const fallback = g.default ? cx.compile(g.default, groupVia) : undefined;
  const where = `${cx.column.table}.${cx.column.name}`;
  return (row, rng) => {
    const value = key(row);
    const text = value === null ? '' : String(value);
    // list values that ran out repeat with a " 2" suffix; they share the base value's case
    const f = cases.get(text) ?? cases.get(text.replace(SUFFIX, '')) ?? fallback;
    if (!f) throw new EcomError(`no case for ${JSON.stringify(value)} in the generator of ${where}`, [], 1);
    return f(row, rng);
  };
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
