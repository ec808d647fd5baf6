import type { Generator } from '../../model/schema.ts';
import { address } from './address.ts';
import { after } from './after.ts';
import { array } from './array.ts';
import { before } from './before.ts';
import { bytes } from './bytes.ts';
import { byRef } from './by-ref.ts';
import { choice } from './choice.ts';
import { copy } from './copy.ts';
import { email } from './email.ts';
import { faker } from './faker.ts';
import type { CheckContext, GeneratorKind, GeneratorOf } from './kind.ts';
import { list } from './list.ts';
import { match } from './match.ts';
import { pattern } from './pattern.ts';
import { range } from './range.ts';
import { ref } from './ref.ts';
import { sequence } from './sequence.ts';
import { sum } from './sum.ts';
import { template } from './template.ts';
import { tree } from './tree.ts';
import { uuid } from './uuid.ts';

/** Every generator kind of the model format; a kind missing here, or one the format lacks, fails type-checking. */
export const generators: { [K in Generator['kind']]: GeneratorKind<GeneratorOf<K>> } = {
  faker,
  range,
  choice,
  pattern,
  template,
  email,
  uuid,
  sequence,
  ref,
  tree,
  copy,
  after,
  before,
  bytes,
  array,
  sum,
  byRef,
  match,
  list,
  address,
};

/** The kind of `g`, typed for `g` (TypeScript does not correlate a union with the registry by itself). */
export function kindOf<G extends Generator>(g: G): GeneratorKind<G> {
  return generators[g.kind] as GeneratorKind<G>;
}

/** Checks `g` and the generators nested in it. */
export function checkGenerator(g: Generator, at: string, cx: CheckContext): void {
  const kind = kindOf(g);
  // an array column's value is a whole array: "array" makes one (its "of" the elements), "copy" copies one
  if (cx.type.array && !kind.nested && g.kind !== 'copy')
    cx.add(at, `"${g.kind}" cannot generate array column "${cx.column.name}"`, `use { "kind": "array", "of": { "kind": "${g.kind}", … } }`);
  else kind.check(g, at, cx);
  const inner = kind.nestedContext?.(cx) ?? cx;
  for (const [path, sub] of kind.nested?.(g) ?? []) checkGenerator(sub, `${at}/${path}`, inner);
}

/** Whether no two rows can get the same value from `g` or any generator nested in it. */
export function cannotRepeat(g: Generator): boolean {
  const kind = kindOf(g);
  return kind.cannotRepeat(g) && (kind.nested?.(g) ?? []).every(([, sub]) => cannotRepeat(sub));
}

/** Columns of the same row that `g` or a generator nested in it reads. */
export function rowDependencies(g: Generator): string[] {
  const kind = kindOf(g);
  return [...kind.rowDependencies(g), ...(kind.nested?.(g) ?? []).flatMap(([, sub]) => rowDependencies(sub))];
}
