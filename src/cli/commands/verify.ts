import { Flags } from '@oclif/core';
import { connect } from '../../db/connect.ts';
import { verificationError, verify } from '../../seed/verify.ts';
import { loadModel } from '../../model/load.ts';
import { EcomCommand } from '../base.ts';

export default class Verify extends EcomCommand {
  static override description = 'Read back every destination and check keys, foreign keys across destinations, dual copies and rules';
  static override flags = {
    model: EcomCommand.modelFlag,
    out: Flags.string({ description: 'the exports folder to check', default: 'exports' }),
    json: Flags.boolean({ description: 'print the report as JSON', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Verify);
    this.verbose = flags.verbose;
    const model = loadModel(flags.model);
    const db = model.tables.some((t) => t.inPostgres) ? await connect() : undefined;
    try {
      const report = await verify(db, model, flags.out);
      if (flags.json) this.log(JSON.stringify(report, null, 2));
      else {
        for (const [table, dests] of Object.entries(report.rows))
          this.log(
            `  ${table.padEnd(16)} ${Object.entries(dests)
              .map(([d, n]) => `${d}: ${n}`)
              .join(', ')}`,
          );
        this.log(`${report.checks} checks, ${report.violations.length} violation${report.violations.length === 1 ? '' : 's'}`);
      }
      if (report.violations.length > 0) throw verificationError(report);
    } finally {
      await db?.close();
    }
  }
}
