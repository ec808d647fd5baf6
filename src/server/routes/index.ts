import { MOUNTS } from '../mounts.ts';
import { apiInfo } from '../schemas.ts';
import { healthRoute } from './health.ts';
import { getOrderRoute, listOrdersRoute, orderStatsRoute } from './orders.ts';
import { defineRoute, type Route } from './route.ts';

/** `GET /` lists every route, itself included, so it is described here, next to the list. */
const apiInfoRoute = defineRoute({
  method: 'GET',
  path: '/',
  operationId: 'apiInfo',
  summary: 'API information',
  output: { name: 'ApiInfo', description: 'Name, version, data source and endpoints', schema: apiInfo },
  offline: true,
  handle: async ({ info }) => ({
    name: info.name,
    version: info.version,
    data_source: info.dataSource,
    ...MOUNTS,
    endpoints: ROUTES.map((r) => `${r.method} ${r.path}`),
  }),
});

/** Every route, in the order GET / lists them. */
export const ROUTES: readonly Route[] = [apiInfoRoute, healthRoute, listOrdersRoute, getOrderRoute, orderStatsRoute];
