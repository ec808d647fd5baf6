import type { PrismaClient } from '../../generated/prisma/client.ts';
import { ordersService } from '../orders-service.ts';
import { ProblemError } from '../problem.ts';
import { listOrdersInput, orderDetail, orderIdInput, orderPage, orderStats, statsInput } from '../schemas.ts';
import { defineRoute } from './route.ts';

/**
 * The e-commerce extension, hand-written beside the generated table routes: orders with their item
 * counts, one order with its items and customer, and the order statistics. api.ts loads this module
 * only for a model that has the tables it reads (its schemas use that model's generated enum).
 */
export function ordersRoutes(prisma: PrismaClient, options: { cacheMs?: number }) {
  const orders = ordersService(prisma, options);
  const list = defineRoute({
    method: 'GET',
    path: '/orders',
    operationId: 'listOrders',
    procedure: 'orders.list',
    summary: 'Orders, paginated, filtered and sorted',
    input: listOrdersInput,
    output: { name: 'OrderPage', description: 'A page of orders', schema: orderPage },
    paginated: true,
    handle: (_ctx, input) => orders.list(input),
  });

  const byId = defineRoute({
    method: 'GET',
    path: '/orders/{id}',
    operationId: 'getOrder',
    procedure: 'orders.byId',
    summary: 'One order with its items and customer',
    input: orderIdInput,
    output: { name: 'OrderDetail', description: 'The order', schema: orderDetail },
    problems: { 'not-found': 'No such order' },
    async handle(_ctx, { id }) {
      const order = await orders.byId(id);
      if (!order) throw new ProblemError('not-found', `order ${id} does not exist`);
      return order;
    },
  });

  const stats = defineRoute({
    method: 'GET',
    path: '/orders/stats/summary',
    operationId: 'orderStats',
    procedure: 'orders.stats',
    summary: 'Order analytics computed in the database',
    input: statsInput,
    output: { name: 'OrderStats', description: 'Order analytics', schema: orderStats },
    handle: (_ctx, input) => orders.stats(input),
  });
  return { list, byId, stats };
}

export type OrdersRoutes = ReturnType<typeof ordersRoutes>;
