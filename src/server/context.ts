import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { LIMITS } from './limits.ts';

export interface ApiInfo {
  name: string;
  version: string;
  dataSource: string;
}

/** What every route handler is given, whether REST or tRPC called it. */
export interface ApiContext {
  prisma: PrismaClient;
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
  /** Default LIMITS.queryTimeoutMs. */
  queryTimeoutMs?: number;
  /** Where failures are logged; default pino on stdout. */
  logger?: Logger;
}

/** Built once per server; each request gets a copy with its own id (`forRequest`); in-process callers share the one made here. */
export function createApiContext({ prisma, info, queryTimeoutMs, logger }: ApiContextOptions): ApiContext {
  return {
    prisma,
    info,
    queryTimeoutMs: queryTimeoutMs ?? LIMITS.queryTimeoutMs,
    logger: logger ?? pino(),
    requestId: randomUUID(),
  };
}

export const forRequest = (ctx: ApiContext, requestId: string): ApiContext => ({ ...ctx, requestId });
