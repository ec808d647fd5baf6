// Overrides for "products". ecom codegen created this file once and never overwrites it.
// Return a value for a column to replace the model's generator. Use ctx.faker (seeded per cell)
// so the same --seed still gives the same data.
import type { Overrides } from '../../../src/seed/seeder.ts';
import type { ProductsRow } from '../products.ts';

export default {
  // sku: (ctx) => ctx.faker.lorem.words(3),
} satisfies Overrides<ProductsRow>;
