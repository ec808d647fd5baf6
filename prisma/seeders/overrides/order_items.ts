// Overrides for "order_items". ecom codegen created this file once and never overwrites it.
// Return a value for a column to replace the model's generator. Use ctx.faker (seeded per cell)
// so the same --seed still gives the same data.
import type { Overrides } from '../../../src/seed/seeder.ts';
import type { OrderItemsRow } from '../order_items.ts';

export default {} satisfies Overrides<OrderItemsRow>;
