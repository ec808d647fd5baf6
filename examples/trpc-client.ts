// A typed tRPC client for `ecom serve`. Copy this file into your app; only `AppRouter` is imported
// from ecom, as a type, so nothing of the server ends up in your bundle.
//
//   npx ecom serve &            # in one terminal
//   npx tsx examples/trpc-client.ts http://127.0.0.1:8000
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../src/server/routers/app.ts';

/** The server refuses batches of more calls (400) and longer URLs (414): the link splits its batches to fit. */
export const BATCH_LIMITS = { maxItems: 10, maxURLLength: 4096 };

export function ordersClient(baseUrl: string) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${baseUrl}/trpc`, ...BATCH_LIMITS })] });
}

/** The five biggest delivered orders, the first one in full, and the revenue. */
export async function showcase(baseUrl: string) {
  const api = ordersClient(baseUrl);
  const page = await api.orders.list.query({ status: 'delivered', sort: '-total_amount', limit: 5 });
  const biggest = page.items[0] ? await api.orders.byId.query({ id: page.items[0].id }) : undefined;
  const stats = await api.orders.stats.query({ top: 3 });
  return { delivered: page.total, top5: page.items.map((o) => `#${o.id} ${o.total_amount}`), biggest, revenue: stats.revenue };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await showcase(process.argv[2] ?? 'http://127.0.0.1:8000'), null, 2));
}
