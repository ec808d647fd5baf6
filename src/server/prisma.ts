import type { Database } from '../db/database.ts';
import { PrismaClient } from '../generated/prisma/client.ts';

/** The generated Prisma client on the database's driver adapter (PGlite or PostgreSQL). */
export function createPrisma(db: Database): PrismaClient {
  return new PrismaClient({ adapter: db.adapter() });
}

export type { PrismaClient };
