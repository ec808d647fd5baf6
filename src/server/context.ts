import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { LIMITS } from './limits.ts';
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
  /** Every request that reads the database is answered within this (503 otherwise). */
  queryTimeoutMs: number;
  logger: Logger;
  /** This request's id (`X-Request-Id`), in the log line and in every error the client gets. */
  requestId: string;
}

export interface ApiContextOptions {
  prisma: PrismaClient;
  info: ApiInfo;
  /** How long totals and stats may be reused (ms); 0 computes them for every request. */
  cacheMs?: number;
  /** Default LIMITS.queryTimeoutMs. */
  queryTimeoutMs?: number;
  /** Where failures are logged; default pino on stdout. */
  logger?: Logger;
}

/**
 * Built once per server: the context holds the orders micro-cache, which must outlive a request.
 * Each request gets a copy with its own id (`forRequest`); in-process callers share the one made here.
 */
export function createApiContext({ prisma, info, cacheMs, queryTimeoutMs, logger }: ApiContextOptions): ApiContext {
  return {
    prisma,
    info,
    orders: ordersService(prisma, { cacheMs }),
    queryTimeoutMs: queryTimeoutMs ?? LIMITS.queryTimeoutMs,
    logger: logger ?? pino(),
    requestId: randomUUID(),
  };
}

export const forRequest = (ctx: ApiContext, requestId: string): ApiContext => ({ ...ctx, requestId });
