import type { GeneratorKind, GeneratorOf } from './kind.ts';
import { compileTemplate } from './template.ts';

/** A template whose `#`, `?` and `*` draw a digit, a letter and either (codes, SKUs, phone numbers). */
export const pattern: GeneratorKind<GeneratorOf<'pattern'>> = {
  check: () => {}, // unlike a template's, its {column} and {{faker}} parts are not checked
  cannotRepeat: (g) => g.pattern.includes('{row}'),
  rowDependencies: () => [],
  compile: (g, cx) => compileTemplate(g.pattern, true, cx),
};
