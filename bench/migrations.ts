import { cpSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The repository's schema and migrations, copied into the benchmark's scratch folder: migrating
 * never writes a new migration into the repository, even if the schema is being edited meanwhile.
 */
export function benchMigrations(work: string): { schemaFile: string; migrationsDir: string } {
  cpSync('prisma/schema.prisma', join(work, 'prisma/schema.prisma'));
  cpSync('prisma/migrations', join(work, 'prisma/migrations'), { recursive: true });
  return { schemaFile: join(work, 'prisma/schema.prisma'), migrationsDir: join(work, 'prisma/migrations') };
}
