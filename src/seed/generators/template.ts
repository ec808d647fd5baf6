import { fakerMethod } from '../../model/faker-method.ts';
import { parseTemplate, renderTemplate } from '../template.ts';
import { coerce } from './coerce.ts';
import type { CompileContext, GeneratorKind, GeneratorOf, Produce } from './kind.ts';

/** Text with `{column}`, `{row}`, `{a|b}` and `{{faker.method}}` filled in. */
export const template: GeneratorKind<GeneratorOf<'template'>> = {
  check(g, at, { table, columnOf, add }) {
    for (const name of templateColumns(g.template)) {
      if (!columnOf(table.name, name))
        add(
          `${at}/template`,
          `template refers to unknown column "${name}"`,
          `columns of "${table.name}": ${table.columns.map((c) => c.name).join(', ')}`,
        );
    }
    for (const m of g.template.matchAll(/\{\{([^}]+)\}\}/g)) {
      if (!fakerMethod(m[1]!.trim()))
        add(`${at}/template`, `unknown Faker method "${m[1]}" in template`, 'use a path such as "commerce.productAdjective"');
    }
  },
  cannotRepeat: (g) => g.template.includes('{row}'),
  rowDependencies: (g) => templateColumns(g.template),
  compile: (g, cx) => compileTemplate(g.template, false, cx),
};

/** The `{column}` placeholders of a template (not `{row}`, not inside `{{…}}`). */
function templateColumns(text: string): string[] {
  return [...text.matchAll(/(?<!\{)\{([a-z][a-z0-9_]*)\}(?!\})/g)].map((m) => m[1]!).filter((n) => n !== 'row');
}

/** Templates and patterns render alike; patterns also draw `#`, `?` and `*`. */
export function compileTemplate(text: string, pattern: boolean, cx: CompileContext): Produce {
  const parts = parseTemplate(text, pattern);
  const { column, rows, faker } = cx;
  return (row, rng) => coerce(renderTemplate(parts, row, rng, rows, faker), column);
}
