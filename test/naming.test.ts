import { describe, expect, it } from 'vitest';
import { enumName, modelName } from '../generators/naming.ts';

describe('Prisma names', () => {
  it('singularises the last word of a table name as English does', () => {
    const names = ['order_items', 'categories', 'statuses', 'species', 'addresses', 'people', 'analyses', 'boxes', 'staff'];
    expect(names.map(modelName)).toEqual(['OrderItem', 'Category', 'Status', 'Species', 'Address', 'Person', 'Analysis', 'Box', 'Staff']);
    expect(enumName('order_statuses', 'kind')).toBe('OrderStatusKind');
  });
});
