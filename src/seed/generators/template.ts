import { fakerMethod } from '../../model/faker-method.ts';
import { textLimit } from '../../model/types.ts';
import { parseTemplate, renderTemplate } from '../template.ts';
import { permute } from '../random.ts';
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
  compile: (g, cx) => (g.distinct ? compileDistinct(g.template, cx) : compileTemplate(g.template, false, cx)),
};

/**
 * The k-th row of its group takes the k-th combination of the choices in a shuffled order (like
 * `list`, whose values run out): no two rows of a group share a text while there are enough.
 */
function compileDistinct(text: string, cx: CompileContext): Produce {
  const parts = parseTemplate(text, false);
  const sizes = parts.flatMap((p) => (p.kind === 'oneOf' ? [p.options.length] : []));
  const combinations = sizes.reduce((a, b) => a * b, 1);
  const { column, rows, faker, groupVia } = cx;
  const key = cx.streamKey(`distinct:${column.name}`);
  return (row, rng) => {
    const group = groupVia ? rows.group(groupVia, row) : { parent: null, ordinal: row };
    const k = group.ordinal;
    // another order per parent and per round through the combinations
    const order = key ^ Math.imul((group.parent ?? -1) + 1, 0x85ebca6b) ^ Math.imul(Math.floor(k / combinations), 0x9e3779b1);
    let rest = permute(k % combinations, combinations, order);
    const digits = sizes.map((n) => {
      const d = rest % n;
      rest = Math.floor(rest / n);
      return d;
    });
    return coerce(
      renderTemplate(parts, row, rng, rows, faker, (i) => digits[i]!),
      column,
    );
  };
}

/** The `{column}` placeholders of a template (not `{row}`, not inside `{{…}}`). */
function templateColumns(text: string): string[] {
  return [...text.matchAll(/(?<!\{)\{([a-z][a-z0-9_]*)\}(?!\})/g)].map((m) => m[1]!).filter((n) => n !== 'row');
}

/**
 * Templates and patterns render alike; patterns also draw `#`, `?` and `*`. A value too long for
 * its column is cut, but one that ends in `{row}` keeps its separator and row number and loses
 * text before them: cutting keeps it unique.
 */
export function compileTemplate(text: string, pattern: boolean, cx: CompileContext): Produce {
  const parts = parseTemplate(text, pattern);
  const { column, rows, faker } = cx;
  const limit = textLimit(column.type);
  const separator = limit === undefined ? undefined : rowSeparator(text, pattern);
  if (limit === undefined || separator === undefined) return (row, rng) => coerce(renderTemplate(parts, row, rng, rows, faker), column);
  return (row, rng) => {
    const v = renderTemplate(parts, row, rng, rows, faker);
    const tail = `${separator}${row + 1}`;
    return coerce(v.length <= limit ? v : v.slice(0, Math.max(0, limit - tail.length)) + tail, column);
  };
}

/**
 * For a template or pattern that ends in `{row}`, the text right before it that is neither a
 * letter nor a digit (" " in "{{lorem.words}} {row}"): the row number and this separator are
 * what a value cut to its column's length keeps.
 */
export function rowSeparator(text: string, pattern: boolean): string | undefined {
  const parts = parseTemplate(text, pattern).filter((p) => p.kind !== 'text' || p.text !== '');
  if (parts.at(-1)?.kind !== 'row') return undefined;
  const before = parts.at(-2);
  return before?.kind === 'text' ? /[^A-Za-z0-9]*$/.exec(before.text)![0] : '';
}
