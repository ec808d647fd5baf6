import { describe, expect, it } from 'vitest';
import { inferCounts } from '../../src/model/pull/counts.ts';
import type { Column, Table } from '../../src/model/schema.ts';

const table = (name: string, columns: Column[], primaryKey = ['id'], extra: Partial<Table> = {}): Table => ({
  name,
  count: 1,
  destination: 'postgres',
  primaryKey,
  columns: [...(primaryKey[0] === 'id' ? [{ name: 'id', type: 'int' }] : []), ...columns],
  ...extra,
});
const fk = (name: string, to: string, more: Partial<Column> = {}): Column => ({
  name,
  type: 'int',
  references: { table: to, column: 'id' },
  ...more,
});

describe('row counts inferred from the shape of an empty schema', () => {
  const tables = [
    table('countries', [{ name: 'name', type: 'text' }]),
    table('customers', [fk('country_id', 'countries'), { name: 'name', type: 'text' }, { name: 'email', type: 'text' }]),
    table('products', []),
    table('orders', [fk('customer_id', 'customers')]),
    table('order_items', [fk('order_id', 'orders'), fk('product_id', 'products')]),
    table('profiles', [fk('customer_id', 'customers', { unique: true })]),
    table('tags', []),
    table('product_tags', [fk('product_id', 'products'), fk('tag_id', 'tags')], ['product_id', 'tag_id']),
    table('flags', [{ name: 'on', type: 'boolean', unique: true }]),
  ];
  const counts = inferCounts(tables, Object.fromEntries(tables.map((t) => [t.name, 0])));

  it('gives every parent fewer rows than its children', () => {
    for (const t of tables)
      for (const c of t.columns.filter((c) => c.references && !c.unique))
        expect(counts[c.references!.table], `${c.references!.table} < ${t.name}`).toBeLessThan(counts[t.name]!);
  });

  it('sizes join tables by their parents and never exceeds a unique key', () => {
    expect(counts.product_tags).toBeLessThanOrEqual(counts.products! * counts.tags!);
    expect(counts.product_tags).toBeGreaterThan(Math.max(counts.products!, counts.tags!));
    expect(counts.profiles).toBeLessThanOrEqual(counts.customers!);
    expect(counts.flags).toBe(2);
  });

  it('keeps a lookup referenced by several tables small, and the facts below it the largest', () => {
    const shop = [
      table('country', [{ name: 'name', type: 'text' }]),
      table('address', [fk('country_id', 'country'), { name: 'street', type: 'text' }, { name: 'phone', type: 'text' }]),
      // a lookup: keys and a timestamp, referenced by staff, customer and inventory
      table('store', [fk('address_id', 'address'), { name: 'last_update', type: 'timestamptz' }]),
      table('staff', [fk('store_id', 'store'), { name: 'name', type: 'text' }, { name: 'email', type: 'text' }]),
      table('customer', [
        fk('store_id', 'store'),
        fk('address_id', 'address'),
        { name: 'name', type: 'text' },
        { name: 'email', type: 'text' },
      ]),
      table('film', [{ name: 'title', type: 'text' }]),
      table('inventory', [fk('film_id', 'film'), fk('store_id', 'store')]),
      table('rental', [fk('inventory_id', 'inventory'), fk('customer_id', 'customer'), fk('staff_id', 'staff')]),
      table('payment', [fk('rental_id', 'rental'), fk('customer_id', 'customer'), fk('staff_id', 'staff')]),
    ];
    const n = inferCounts(shop, Object.fromEntries(shop.map((t) => [t.name, 0])));
    expect(n.store).toBeLessThanOrEqual(10);
    expect(n.store).toBeLessThan(n.staff! / 10);
    const largest = Math.max(...Object.values(n));
    expect(n.payment).toBe(largest);
    for (const t of shop.filter((t) => !['payment', 'rental'].includes(t.name))) expect(n[t.name], t.name).toBeLessThan(n.rental!);
    // parents have fewer rows than their children, except a lookup: fewer stores than their addresses
    for (const t of shop.filter((t) => t.name !== 'store'))
      for (const c of t.columns.filter((c) => c.references))
        expect(n[c.references!.table], `${c.references!.table} < ${t.name}`).toBeLessThan(n[t.name]!);
    expect(n.store).toBeLessThan(n.address!);
  });

  it('keeps the rows a table has', () => {
    const some = inferCounts(tables, { ...Object.fromEntries(tables.map((t) => [t.name, 0])), orders: 1234 });
    expect(some.orders).toBe(1234);
    expect(some.customers).toBe(counts.customers);
  });
});
