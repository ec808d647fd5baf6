import { Flags } from '@oclif/core';
import { EcomCommand } from '../base.ts';

export default class Migrate extends EcomCommand<typeof Migrate> {
  static override summary = 'Create a migration from schema changes and apply pending migrations.';
  static override description =
    "Diffs the last migration's schema snapshot against prisma/schema.prisma into prisma/migrations/<timestamp>_<name>/, then applies every pending migration as `prisma migrate deploy` does, through Prisma's schema engine compiled to WebAssembly: no native engine needed. prisma/schema.prisma must have been generated from --model.";
  static override examples = [
    { description: 'Migrate the database in DATABASE_URL (or the embedded PGlite)', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Only write the migration, named add_sku', command: '<%= config.bin %> <%= command.id %> --name add_sku --create-only' },
  ];
  static override flags = {
    model: EcomCommand.modelFlag,
    name: Flags.string({ summary: 'Name of the new migration.' }),
    'create-only': Flags.boolean({ summary: 'Create the migration without applying it.', default: false }),
    'accept-data-loss': Flags.boolean({ summary: 'Allow changes that drop columns, tables or data.', default: false }),
  };

  async run() {
    const { assertGeneratedFrom, SCHEMA_FILE } = await import('../../codegen/codegen.ts');
    const { connect } = await import('../../db/connect.ts');
    const { migrate, MIGRATIONS_DIR } = await import('../../db/migrate.ts');
    assertGeneratedFrom(await this.loadModel(), { root: process.cwd(), modelFile: this.flags.model });
    const db = await connect();
    try {
      const result = await migrate(db, {
        schemaFile: SCHEMA_FILE,
        migrationsDir: MIGRATIONS_DIR,
        name: this.flags.name,
        createOnly: this.flags['create-only'],
        acceptDataLoss: this.flags['accept-data-loss'],
      });
      this.log(`Database: ${db.label}`);
      const created = result.created;
      if (created) {
        const loss = created.warnings.length ? ` (data loss accepted: ${created.warnings.join('; ')})` : '';
        this.log(`Created migration ${MIGRATIONS_DIR}/${created.name}/migration.sql${loss}`);
      } else this.log('Schema unchanged: no new migration.');
      if (!this.flags['create-only']) {
        const n = result.applied.length;
        this.log(
          n ? `Applied ${n} migration${n === 1 ? '' : 's'}: ${result.applied.join(', ')}` : 'Database is up to date: nothing to apply.',
        );
      }
      return { database: db.label, created: created?.name ?? null, warnings: created?.warnings ?? [], applied: result.applied };
    } finally {
      await db.close();
    }
  }
}
