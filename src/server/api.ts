import { z } from 'zod';
import { fieldName } from '../../generators/prisma-schema.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { ApiContext } from './context.ts';
import { MicroCache } from './micro-cache.ts';
import { MOUNTS } from './mounts.ts';
import { ORDERS_EXTENSION, ordersExtensionGap } from './orders-extension.ts';
import { trpcRouter, type AppRouter } from './routers/app.ts';
import { healthRoute } from './routes/health.ts';
import { defineRoute, type Route } from './routes/route.ts';
import { delegateName, describeTables } from './tables/describe.ts';
import { tableRoutes } from './tables/routes.ts';

/** What one server serves for one model: its routes (REST, OpenAPI) and the tRPC router of the same routes. */
export interface Api {
  model: ResolvedModel;
  /** Every route, in the order GET / lists them. */
  routes: readonly Route[];
  router: AppRouter;
  /** The tables the generated routes serve (destination `api`). */
  tables: string[];
  /** Hand-written extensions served, and why the others are not. */
  extensions: { served: string[]; skipped: { name: string; reason: string }[] };
}

const apiInfo = z.object({
  name: z.string(),
  version: z.string(),
  data_source: z.string().describe('the database, password redacted'),
  docs: z.string(),
  openapi: z.string(),
  trpc: z.string(),
  tables: z.array(z.string()).describe('tables served by the generated routes (destination `api` in the model)'),
  extensions: z.array(z.string()).describe('hand-written extensions served, e.g. orders'),
  endpoints: z.array(z.string()).describe('"METHOD /path" of every route'),
});

/**
 * The API for `model`: a list and a by-key route for every table whose destination is `api`
 * (tables/), plus the orders extension when the model has the e-commerce tables it reads. Totals and
 * stats are reused for `cacheMs` (micro-cache.ts).
 */
export async function buildApi(model: ResolvedModel, prisma: PrismaClient, { cacheMs = 1000 }: { cacheMs?: number } = {}): Promise<Api> {
  const cache = new MicroCache(cacheMs);
  const tables = describeTables(model);
  const gap = ordersExtensionGap(model);
  // the extension's schemas import this model's generated enum: loaded only for a model that has it
  const orders = gap ? [] : Object.values((await import('./routes/orders.ts')).ordersRoutes(prisma, { cacheMs }));
  const extensions: Api['extensions'] = gap
    ? { served: [], skipped: [{ name: ORDERS_EXTENSION.name, reason: gap }] }
    : { served: [ORDERS_EXTENSION.name], skipped: [] };
  const served = [...new Set([...(gap ? [] : ORDERS_EXTENSION.tables), ...tables.map((t) => t.table)])].map((name) => model.table(name));
  const probe = async ({ prisma: client }: ApiContext) => {
    const delegates = client as unknown as Record<string, { findFirst(args: object): Promise<unknown> }>;
    await Promise.all(
      served.map((t) => delegates[delegateName(t.name)]!.findFirst({ select: { [fieldName(t.primaryKey[0]!.name)]: true } })),
    );
  };
  const info = defineRoute({
    method: 'GET',
    path: '/',
    operationId: 'apiInfo',
    summary: 'API information: what this server serves',
    output: { name: 'ApiInfo', description: 'Name, version, data source, tables and endpoints', schema: apiInfo },
    offline: true,
    handle: async ({ info: i }) => ({
      name: i.name,
      version: i.version,
      data_source: i.dataSource,
      ...MOUNTS,
      tables: tables.map((t) => t.table),
      extensions: extensions.served,
      endpoints: routes.map((r) => `${r.method} ${r.path}`),
    }),
  });
  const routes: Route[] = [info, healthRoute(probe), ...orders, ...tables.flatMap((t) => tableRoutes(t, cache))];
  return {
    model,
    routes,
    router: trpcRouter(routes),
    tables: tables.map((t) => t.table),
    extensions,
  };
}
