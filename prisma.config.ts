// Prisma's own CLI on ecom's folder: `prisma validate`, `prisma migrate status|deploy` (where a native
// schema engine is present) and `prisma db seed`, which runs `ecom seed`.
import dotenv from 'dotenv';
import { defineConfig } from 'prisma/config';

dotenv.config({ quiet: true });
const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'node bin/run.js seed' },
  // Only migrate/introspect commands need it; generate and validate work without a database.
  ...(url ? { datasource: { url } } : {}),
});
