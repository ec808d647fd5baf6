import { Flags } from '@oclif/core';
import { EcomError } from '../../errors.ts';
import { EcomCommand } from '../base.ts';

export default class ExportDb extends EcomCommand<typeof ExportDb> {
  static override summary = 'Write a plain SQL dump (schema and data) that psql restores into an empty PostgreSQL.';
  static override description =
    "In pg_dump's order: the schema from the model's migrations in prisma/migrations/<model name>/ (exactly what created the database) with Prisma's migration history, the rows as COPY blocks, then foreign keys and plain indexes, then the sequences, so any valid model restores (foreign-key cycles too) and `ecom migrate` continues on the restored database. Written to a temporary file and renamed when complete.";
  static override examples = [
    { description: 'Dump to exports/database_dump.sql', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Restore it', command: 'psql -v ON_ERROR_STOP=1 -d empty_db -f exports/database_dump.sql' },
  ];
  static override flags = {
    model: EcomCommand.modelFlag,
    output: Flags.string({ summary: 'The dump file.', default: 'exports/database_dump.sql', helpValue: 'FILE' }),
  };

  async run() {
    const { exportDatabase } = await import('../../db/dump.ts');
    const model = await this.loadModel();
    if (!model.tables.some((t) => t.inPostgres))
      throw new EcomError(`model "${model.name}" has no table in PostgreSQL, so there is nothing to dump`, [
        {
          pointer: '/tables',
          message: 'every table is csv or json',
          hint: `its data is in the exports folder; give a table "destination": "postgres" to dump it`,
        },
      ]);
    const db = (await this.connectMigrated(model))!;
    try {
      const result = await exportDatabase(db, model, this.flags.output);
      const counts = Object.entries(result.rows).map(([t, n]) => `${t} ${n}`);
      this.log(`Wrote ${this.flags.output} (${(result.bytes / 1024).toFixed(0)} KiB): ${counts.join(', ')}`);
      return { file: this.flags.output, ...result };
    } finally {
      await db.close();
    }
  }
}
