import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDirOf } from '../src/db/migrate.ts';

/**
 * The repository's schema and the e-commerce model's migrations, copied into the benchmark's scratch
 * folder: migrating never writes a new migration into the repository, even if the schema is being
 * edited meanwhile.
 */
export function benchMigrations(work: string): { schemaFile: string; migrationsDir: string } {
  const migrations = migrationsDirOf('ecommerce');
  cpSync('prisma/schema.prisma', join(work, 'prisma/schema.prisma'));
  cpSync(migrations, join(work, migrations), { recursive: true });
  return { schemaFile: join(work, 'prisma/schema.prisma'), migrationsDir: join(work, migrations) };
}
