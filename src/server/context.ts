import type { PrismaClient } from '../generated/prisma/client.ts';
import { ordersService, type OrdersService } from './orders-service.ts';

export interface ApiInfo {
  name: string;
  version: string;
  dataSource: string;
}

/** What every route handler is given, whether REST or tRPC called it. */
export interface ApiContext {
  prisma: PrismaClient;
  orders: OrdersService;
  info: ApiInfo;
}

export interface ApiContextOptions {
  prisma: PrismaClient;
  info: ApiInfo;
  /** How long totals and stats may be reused (ms); 0 computes them for every request. */
  cacheMs?: number;
}

/** Built once per server: the context holds the orders micro-cache, which must outlive a request. */
export function createApiContext({ prisma, info, cacheMs }: ApiContextOptions): ApiContext {
  return { prisma, info, orders: ordersService(prisma, { cacheMs }) };
}
