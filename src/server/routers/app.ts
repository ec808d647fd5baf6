import type { z } from 'zod';
import type { OrdersRoutes } from '../routes/orders.ts';
import type { Route, RouteWithInput } from '../routes/route.ts';
import { createCallerFactory, router } from '../trpc.ts';
import { routeProcedure } from './procedure.ts';

type ProcedureOf<R> = R extends RouteWithInput<infer In, infer Out> ? ReturnType<typeof routeProcedure<In, Out>> : never;
type GeneratedProcedure = ReturnType<typeof routeProcedure<z.ZodType, z.ZodType>>;

/**
 * The tRPC router's type, the only thing a client imports from the server. `orders` is the
 * e-commerce extension (fully typed); `tables.<table>.list` / `.get` are the routes generated from
 * the model at start-up, validated by the same zod schemas but typed for any table.
 */
export type AppRouter = ReturnType<
  typeof router<{
    orders: { list: ProcedureOf<OrdersRoutes['list']>; byId: ProcedureOf<OrdersRoutes['byId']>; stats: ProcedureOf<OrdersRoutes['stats']> };
    tables: Record<string, { list: GeneratedProcedure; get: GeneratedProcedure }>;
  }>
>;

/** Every route that names a procedure, as a tRPC query at that dotted path. */
export function trpcRouter(routes: readonly Route[]): AppRouter {
  const tree: Record<string, unknown> = {};
  for (const route of routes) {
    if (!route.procedure || !route.input) continue;
    const path = route.procedure.split('.');
    let node = tree;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[path.at(-1)!] = routeProcedure(route);
  }
  return router(tree as Parameters<typeof router>[0]) as unknown as AppRouter;
}

/** Calls procedures in-process, without HTTP (tests, scripts). */
export const callerOf = (appRouter: AppRouter) => createCallerFactory(appRouter);
