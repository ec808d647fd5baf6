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
    table('customers', [fk('country_id', 'countries')]),
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

  it('keeps the rows a table has', () => {
    const some = inferCounts(tables, { ...Object.fromEntries(tables.map((t) => [t.name, 0])), orders: 1234 });
    expect(some.orders).toBe(1234);
    expect(some.customers).toBe(counts.customers);
  });
});
