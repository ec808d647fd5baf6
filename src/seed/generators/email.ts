import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** An address made of columns of the row, unique through the row number. */
export const email: GeneratorKind<GeneratorOf<'email'>> = {
  check(g, at, { table, columnOf, add }) {
    g.from.forEach((n, i) => {
      if (!columnOf(table.name, n)) add(`${at}/from/${i}`, `column "${n}" does not exist in table "${table.name}"`);
    });
  },
  cannotRepeat: () => true,
  rowDependencies: (g) => g.from,
  compile(g, { rows }) {
    const domains = g.domains ?? ['example.com', 'example.net', 'example.org'];
    return (row, rng) => {
      const local =
        g.from
          .map((c) => asciiSlug(String(rows.value(row, c) ?? '')))
          .filter(Boolean)
          .join('.') || 'user';
      // the row number makes the address unique without a set of every address seen
      return `${local}${row + 1}@${domains[rng.int(domains.length)]}`;
    };
  },
};

function asciiSlug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
