import { fakerMethod } from '../../model/faker-method.ts';
import { coerce } from './coerce.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** A Faker method's output, e.g. "person.firstName". */
export const faker: GeneratorKind<GeneratorOf<'faker'>> = {
  check(g, at, cx) {
    if (!fakerMethod(g.method))
      cx.add(
        `${at}/method`,
        `unknown Faker method "${g.method}"`,
        'use a path such as "person.firstName" or "commerce.productName" (see fakerjs.dev/api)',
      );
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile(g, cx) {
    const fn = fakerMethod(g.method, cx.faker)!;
    const args = g.args ?? [];
    const { column } = cx;
    return () => coerce(fn(...args), column);
  },
};
