import type { TRPCQueryProcedure } from '@trpc/server';
import type { GeneratedTables } from '../../generated/api/tables.ts';
import type { OrdersRoutes } from '../routes/orders.ts';
import type { Route, RouteWithInput } from '../routes/route.ts';
import { createCallerFactory, router } from '../trpc.ts';
import { routeProcedure } from './procedure.ts';

type ProcedureOf<R> = R extends RouteWithInput<infer In, infer Out> ? ReturnType<typeof routeProcedure<In, Out>> : never;

/** The input and output types of one generated procedure. */
interface Endpoint {
  input: unknown;
  output: unknown;
}
/** A query procedure of these types, with the error shape of every other procedure. */
type QueryOf<E extends Endpoint> = TRPCQueryProcedure<{
  input: E['input'];
  output: E['output'];
  meta: object;
  errorShape: ReturnType<typeof routeProcedure>['_def']['$types']['errorShape'];
}>;

/**
 * The tRPC router's type for the given table types. `orders` is the e-commerce extension (typed by
 * its routes); `tables.<table>.list` / `.get` are the routes generated from the model at start-up,
 * typed by what `ecom codegen` printed from the same zod schemas.
 */
export type AppRouterOf<Tables extends { [T in keyof Tables]: { list: Endpoint; get: Endpoint } }> = ReturnType<
  typeof router<{
    orders: { list: ProcedureOf<OrdersRoutes['list']>; byId: ProcedureOf<OrdersRoutes['byId']>; stats: ProcedureOf<OrdersRoutes['stats']> };
    tables: { [T in keyof Tables]: { list: QueryOf<Tables[T]['list']>; get: QueryOf<Tables[T]['get']> } };
  }>
>;

/** The tRPC router's type, the only thing a client imports from the server (`import type { AppRouter }`). */
export type AppRouter = AppRouterOf<GeneratedTables>;

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
