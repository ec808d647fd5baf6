import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.ts';
import { ordersExtensionGap } from '../src/server/orders-extension.ts';

/** The e-commerce model with one change, written to a temporary file and loaded as a user's model would be. */
function shopWith(change: (model: { tables: { name: string; columns: { name: string; type: string; values?: string[] }[] }[] }) => void) {
  const model = JSON.parse(readFileSync('ecommerce_model.json', 'utf8'));
  change(model);
  const file = join(mkdtempSync(join(tmpdir(), 'ecom-orders-ext-')), 'shop.json');
  writeFileSync(file, JSON.stringify(model));
  return loadModel(file);
}

describe('the orders extension is served only for a model shaped as it declares', () => {
  it('accepts the e-commerce model', () => {
    expect(ordersExtensionGap(loadModel('ecommerce_model.json'))).toBeUndefined();
  });

  it('refuses other order statuses, which its declared client and zod schemas would not know', () => {
    const model = shopWith((m) => {
      m.tables
        .find((t) => t.name === 'orders')!
        .columns.find((c) => c.name === 'status')!
        .values!.push('returned');
    });
    expect(ordersExtensionGap(model)).toBe('orders.status values are not pending, processing, shipped, delivered, cancelled');
  });

  it('names a column of another type than it reads', () => {
    const model = shopWith((m) => {
      m.tables.find((t) => t.name === 'orders')!.columns.find((c) => c.name === 'created_at')!.type = 'timestamp(3)';
    });
    expect(ordersExtensionGap(model)).toBe('orders.created_at is missing or not of type datetime');
  });
});
