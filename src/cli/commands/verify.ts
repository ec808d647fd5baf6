import { EcomCommand } from '../base.ts';
import { boundHeapGrowth } from '../heap.ts';
import { outFlag } from '../flags.ts';

export default class Verify extends EcomCommand<typeof Verify> {
  static override summary = 'Read every destination back and check keys, foreign keys, copies and rules.';
  static override description =
    'Checks primary keys, unique columns and indexes, every foreign key across destinations (PostgreSQL, CSV, JSON), that dual-destination tables hold identical rows, and the rules the model states (sum, copy, after, before, ref from, ref where, ref once, tree levels, bytes, array, rank, address) in each destination — as SQL, with the files streamed into temporary tables, so memory stays flat. Exits 1 on any violation. The result is kept in verify.json in the --out folder, where `ecom report` shows it.';
  static override examples = [
    { description: 'Check the database and exports/', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The report as JSON', command: '<%= config.bin %> <%= command.id %> --json' },
  ];
  static override flags = { model: EcomCommand.modelFlag, out: outFlag };

  async run() {
    boundHeapGrowth();
    const { verificationError, verify } = await import('../../seed/verify.ts');
    const { recordVerification } = await import('../../seed/verify/record.ts');
    const model = await this.loadModel();
    const db = await this.connectMigrated(model);
    try {
      const report = await verify(db, model, this.flags.out);
      recordVerification(this.flags.out, report);
      for (const [table, dests] of Object.entries(report.rows)) {
        this.log(
          `  ${table.padEnd(16)} ${Object.entries(dests)
            .map(([d, n]) => `${d}: ${n}`)
            .join(', ')}`,
        );
      }
      this.log(`${report.checks} checks, ${report.violations.length} violation${report.violations.length === 1 ? '' : 's'}`);
      if (report.violations.length > 0) throw verificationError(report);
      return report;
    } finally {
      await db?.close();
    }
  }
}
