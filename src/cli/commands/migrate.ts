import { Flags } from '@oclif/core';
import { EcomCommand } from '../base.ts';

export default class Migrate extends EcomCommand<typeof Migrate> {
  static override summary = 'Create a migration from schema changes and apply pending migrations.';
  static override description =
    "Each model has its own migration history in prisma/migrations/<model name>/. Diffs that history's last schema snapshot against prisma/schema.prisma into prisma/migrations/<model name>/<timestamp>_<name>/, then applies every pending migration as `prisma migrate deploy` does, through Prisma's schema engine compiled to WebAssembly: no native engine needed. prisma/schema.prisma must have been generated from --model. A database that already has the schema but no migration history (restored from a plain SQL dump, made by another tool) is refused unless --baseline, which checks that its schema is the model's and records the migrations as applied without running them (as `prisma migrate resolve --applied`).";
  static override examples = [
    { description: 'Migrate the database in DATABASE_URL (or the embedded PGlite)', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Only write the migration, named add_sku', command: '<%= config.bin %> <%= command.id %> --name add_sku --create-only' },
    {
      description: 'Adopt a database that already has the schema (restored from a dump without history)',
      command: '<%= config.bin %> <%= command.id %> --baseline',
    },
  ];
  static override flags = {
    model: EcomCommand.modelFlag,
    name: Flags.string({ summary: 'Name of the new migration.' }),
    'create-only': Flags.boolean({ summary: 'Create the migration without applying it.', default: false }),
    'accept-data-loss': Flags.boolean({ summary: 'Allow changes that drop columns, tables or data.', default: false }),
    baseline: Flags.boolean({
      summary: "Record the migrations as applied without running them, once the database's schema is checked to be the model's.",
      default: false,
      exclusive: ['create-only'],
    }),
  };

  async run() {
    const { assertGeneratedFrom, SCHEMA_FILE } = await import('../../codegen/codegen.ts');
    const { connect } = await import('../../db/connect.ts');
    const { migrate, migrationsDirOf } = await import('../../db/migrate.ts');
    const model = await this.loadModel();
    assertGeneratedFrom(model, { root: process.cwd(), modelFile: this.flags.model });
    const migrationsDir = migrationsDirOf(model.name);
    const db = await connect();
    try {
      const result = await migrate(db, {
        schemaFile: SCHEMA_FILE,
        migrationsDir,
        name: this.flags.name,
        createOnly: this.flags['create-only'],
        acceptDataLoss: this.flags['accept-data-loss'],
        baseline: this.flags.baseline,
      });
      this.log(`Database: ${db.label}`);
      const created = result.created;
      if (created) {
        const loss = created.warnings.length ? ` (data loss accepted: ${created.warnings.join('; ')})` : '';
        this.log(`Created migration ${migrationsDir}/${created.name}/migration.sql${loss}`);
      } else this.log('Schema unchanged: no new migration.');
      const baselined = result.baselined;
      if (baselined) {
        this.log(
          baselined.length
            ? `The database's schema is the model's: recorded ${baselined.join(', ')} as applied, without running them.`
            : 'The database has already applied every migration: nothing to baseline.',
        );
      } else if (!this.flags['create-only']) {
        const n = result.applied.length;
        this.log(
          n ? `Applied ${n} migration${n === 1 ? '' : 's'}: ${result.applied.join(', ')}` : 'Database is up to date: nothing to apply.',
        );
      }
      return {
        database: db.label,
        migrations: migrationsDir,
        created: created?.name ?? null,
        warnings: created?.warnings ?? [],
        applied: result.applied,
        ...(baselined ? { baselined } : {}),
      };
    } finally {
      await db.close();
    }
  }
}
