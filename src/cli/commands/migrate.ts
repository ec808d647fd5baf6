import { Flags } from '@oclif/core';
import { SCHEMA_FILE } from '../../codegen/codegen.ts';
import { connect } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { EcomCommand } from '../base.ts';

export default class Migrate extends EcomCommand {
  static override description = 'Create a migration from schema changes and apply pending migrations (no native Prisma engine needed)';
  static override examples = ['<%= config.bin %> migrate', '<%= config.bin %> migrate --name add_sku --create-only'];
  static override flags = {
    name: Flags.string({ description: 'name of the new migration' }),
    'create-only': Flags.boolean({ description: 'create the migration without applying it', default: false }),
    'accept-data-loss': Flags.boolean({ description: 'allow changes that drop columns, tables or data', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Migrate);
    this.verbose = flags.verbose;
    const db = await connect();
    try {
      const result = await migrate(db, {
        schemaFile: SCHEMA_FILE,
        migrationsDir: 'prisma/migrations',
        name: flags.name,
        createOnly: flags['create-only'],
        acceptDataLoss: flags['accept-data-loss'],
      });
      this.log(`Database: ${db.label}`);
      if (result.created)
        this.log(
          `Created migration prisma/migrations/${result.created.name}/migration.sql${result.created.warnings.length ? ` (data loss accepted: ${result.created.warnings.join('; ')})` : ''}`,
        );
      else this.log('Schema unchanged: no new migration.');
      if (flags['create-only']) return;
      if (result.applied.length)
        this.log(`Applied ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'}: ${result.applied.join(', ')}`);
      else this.log('Database is up to date: nothing to apply.');
    } finally {
      await db.close();
    }
  }
}
