import { Flags } from '@oclif/core';
import { dumpTablesOf, exportDatabase } from '../../db/dump.ts';
import { connect } from '../../db/connect.ts';
import { loadModel } from '../../model/load.ts';
import { EcomCommand } from '../base.ts';

export default class ExportDb extends EcomCommand {
  static override description = 'Write a complete SQL dump (schema + data) that restores into an empty PostgreSQL with psql';
  static override flags = {
    model: EcomCommand.modelFlag,
    output: Flags.string({ description: 'the dump file', default: 'exports/database_dump.sql' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ExportDb);
    this.verbose = flags.verbose;
    const model = loadModel(flags.model);
    const db = await connect();
    try {
      const result = await exportDatabase(db, dumpTablesOf(model), flags.output);
      this.log(
        `Wrote ${flags.output} (${(result.bytes / 1024).toFixed(0)} KiB): ${Object.entries(result.rows)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')}`,
      );
    } finally {
      await db.close();
    }
  }
}
