import type { Database } from '../db/connection.ts';
import { PrismaClient } from '../generated/prisma/client.ts';

/** The generated Prisma client on the one connection module's adapter (PGlite or PostgreSQL). */
export function createPrisma(db: Database): PrismaClient {
  return new PrismaClient({ adapter: db.adapter() });
}

export type { PrismaClient };
