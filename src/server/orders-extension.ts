import type { ResolvedModel } from '../model/resolve.ts';
import type { BaseType } from '../model/types.ts';
import { ORDER_STATUSES } from './orders-client.ts';

/** The columns the hand-written orders extension (routes/orders.ts, orders-service.ts) reads, with their types. */
export const ORDERS_EXTENSION = {
  name: 'orders',
  tables: ['orders', 'order_items', 'users', 'products'],
  columns: {
    orders: { id: 'int', user_id: 'int', status: 'enum', total_amount: 'decimal', created_at: 'datetime' },
    order_items: { id: 'int', order_id: 'int', product_id: 'int', quantity: 'int', unit_price: 'decimal' },
    users: { id: 'int', email: 'string', first_name: 'string', last_name: 'string' },
    products: { id: 'int', name: 'string' },
  } satisfies Record<string, Record<string, BaseType>>,
};

/** Why the model cannot carry the orders extension (the first missing table or column), or undefined when it can. */
export function ordersExtensionGap(model: ResolvedModel): string | undefined {
  for (const [table, columns] of Object.entries(ORDERS_EXTENSION.columns)) {
    const t = model.tables.find((x) => x.name === table);
    if (!t) return `the model has no ${table} table`;
    if (!t.inPostgres) return `${table} is not in PostgreSQL`;
    for (const [name, base] of Object.entries(columns)) {
      const c = t.columns.find((x) => x.name === name);
      if (!c || c.type.base !== base) return `${table}.${name} is missing or not of type ${base}`;
    }
  }
  const statuses = model.tables.find((t) => t.name === 'orders')!.columns.find((c) => c.name === 'status')!.def.values ?? [];
  if (statuses.join() !== ORDER_STATUSES.join()) return `orders.status values are not ${ORDER_STATUSES.join(', ')}`;
  return undefined;
}
