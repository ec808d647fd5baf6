import pluralize from 'pluralize';

/** Naming rules shared by every emitter, so schema.prisma, seeders and the API agree on names. */

export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function pascalCase(snake: string): string {
  const c = camelCase(snake);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** English singular of a snake_case table name's last word: "order_items" → "order_item", "species" → "species". */
export function singular(snake: string): string {
  return snake.replace(/([a-z0-9]+)$/, (w) => pluralize.singular(w));
}

/** The Prisma model name of a table: PascalCase singular. */
export function modelName(table: string): string {
  return pascalCase(singular(table));
}

/** The Prisma enum name of an enum column: "orders.status" → "OrderStatus". */
export function enumName(table: string, column: string): string {
  return modelName(table) + pascalCase(column);
}

/** The PostgreSQL enum type of an enum column: named by the model ("enum", shared), or "<table>_<column>". */
export function enumTypeOf(table: string, column: { name: string; def: { enum?: string | undefined } }): { prisma: string; db: string } {
  const named = column.def.enum;
  return named ? { prisma: pascalCase(named), db: named } : { prisma: enumName(table, column.name), db: `${table}_${column.name}` };
}

/**
 * The Prisma names of an enum's values: the label itself when it is an identifier, else one derived
 * from it ("PG-13" → PG_13; one starting with a digit gets a V) and mapped to the label with @map.
 */
export function enumMembers(labels: string[]): { name: string; label: string }[] {
  const taken = new Set(labels.filter((l) => IDENTIFIER.test(l)));
  return labels.map((label) => {
    if (IDENTIFIER.test(label)) return { name: label, label };
    const base = label.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    const first = /^[A-Za-z]/.test(base) ? base : `V${base ? `_${base}` : ''}`;
    let name = first;
    for (let n = 2; taken.has(name); n++) name = `${first}_${n}`;
    taken.add(name);
    return { name, label };
  });
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
