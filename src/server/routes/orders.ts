import { ProblemError } from '../problem.ts';
import { listOrdersInput, orderDetail, orderIdInput, orderPage, orderStats, statsInput } from '../schemas.ts';
import { defineRoute } from './route.ts';

export const listOrdersRoute = defineRoute({
  method: 'GET',
  path: '/orders',
  operationId: 'listOrders',
  summary: 'Orders, paginated, filtered and sorted',
  input: listOrdersInput,
  output: { name: 'OrderPage', description: 'A page of orders', schema: orderPage },
  paginated: true,
  handle: ({ orders }, input) => orders.list(input),
});

export const getOrderRoute = defineRoute({
  method: 'GET',
  path: '/orders/{id}',
  operationId: 'getOrder',
  summary: 'One order with its items and customer',
  input: orderIdInput,
  output: { name: 'OrderDetail', description: 'The order', schema: orderDetail },
  problems: { 'not-found': 'No such order' },
  async handle({ orders }, { id }) {
    const order = await orders.byId(id);
    if (!order) throw new ProblemError('not-found', `order ${id} does not exist`);
    return order;
  },
});

export const orderStatsRoute = defineRoute({
  method: 'GET',
  path: '/orders/stats/summary',
  operationId: 'orderStats',
  summary: 'Order analytics computed in the database',
  input: statsInput,
  output: { name: 'OrderStats', description: 'Order analytics', schema: orderStats },
  handle: ({ orders }, input) => orders.stats(input),
});
