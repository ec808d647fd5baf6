import { getOrderRoute, listOrdersRoute, orderStatsRoute } from '../routes/orders.ts';
import { router } from '../trpc.ts';
import { routeProcedure } from './procedure.ts';

export const ordersRouter = router({
  list: routeProcedure(listOrdersRoute),
  byId: routeProcedure(getOrderRoute),
  stats: routeProcedure(orderStatsRoute),
});
