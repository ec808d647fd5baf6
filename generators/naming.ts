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
