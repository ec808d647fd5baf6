import type { Database } from '../db/database.ts';
import { PrismaClient } from '../generated/prisma/client.ts';

/**
 * The generated Prisma client on the database's driver adapter (PGlite or PostgreSQL). Its errors reach
 * only the log (invoke.ts), never a client, so they need no source excerpt: with errorFormat 'minimal'
 * Prisma no longer captures a stack trace on every query to point at the calling line.
 */
export function createPrisma(db: Database): PrismaClient {
  return new PrismaClient({ adapter: db.adapter(), errorFormat: 'minimal' });
}

export type { PrismaClient };
