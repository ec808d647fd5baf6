import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { OrdersService } from './orders-service.ts';
import { invalidParameters, notFound, sendProblem, unavailable } from './problem.ts';
import { listOrdersInput, orderIdInput, statsInput } from './schemas.ts';

export interface ApiInfo {
  name: string;
  version: string;
  dataSource: string;
}

/** Validates a query or path object, sending a 400 problem and returning undefined when invalid. */
function parse<S extends z.ZodType>(schema: S, input: Record<string, unknown>, req: Request, res: Response): z.output<S> | undefined {
  const repeated = Object.entries(input)
    .filter(([, v]) => Array.isArray(v))
    .map(([k]) => k);
  if (repeated.length > 0) {
    sendProblem(res, {
      type: 'https://ecom.dev/problems/invalid-parameters',
      title: 'Invalid request parameters',
      status: 400,
      detail: `given more than once: ${repeated.join(', ')}`,
      instance: req.originalUrl,
      errors: repeated.map((p) => ({ parameter: p, message: `${p} must be given once` })),
    });
    return undefined;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    sendProblem(res, invalidParameters(result.error, req.originalUrl));
    return undefined;
  }
  return result.data;
}

export const ROUTES = [
  { method: 'GET', path: '/', summary: 'API information' },
  { method: 'GET', path: '/health', summary: 'Database health check' },
  { method: 'GET', path: '/orders', summary: 'Orders, paginated, filtered and sorted' },
  { method: 'GET', path: '/orders/{id}', summary: 'One order with its items and customer' },
  { method: 'GET', path: '/orders/stats/summary', summary: 'Order analytics computed in the database' },
] as const;

export function restRouter(prisma: PrismaClient, orders: OrdersService, info: ApiInfo): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({
      name: info.name,
      version: info.version,
      data_source: info.dataSource,
      docs: '/docs',
      openapi: '/openapi.json',
      trpc: '/trpc',
      endpoints: ROUTES.map((r) => `${r.method} ${r.path}`),
    });
  });
  router.get('/health', async (req, res) => {
    const started = performance.now();
    try {
      await Promise.race([
        prisma.$queryRaw`SELECT 1`,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref()),
      ]);
      res.json({ status: 'ok', database: 'up', latency_ms: Math.round((performance.now() - started) * 10) / 10 });
    } catch (e) {
      sendProblem(res, unavailable(`the database does not answer: ${(e as Error).message.split('\n')[0]}`, req.originalUrl));
    }
  });
  router.get('/orders', async (req, res) => {
    const input = parse(listOrdersInput, req.query, req, res);
    if (input) res.json(await orders.list(input));
  });
  router.get('/orders/stats/summary', async (req, res) => {
    const input = parse(statsInput, req.query, req, res);
    if (input) res.json(await orders.stats(input));
  });
  router.get('/orders/:id', async (req, res) => {
    const input = parse(orderIdInput, { id: req.params.id }, req, res);
    if (!input) return;
    const order = await orders.byId(input.id);
    if (order) res.json(order);
    else sendProblem(res, notFound(`order ${input.id} does not exist`, req.originalUrl));
  });
  return router;
}
