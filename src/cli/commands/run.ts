import { join } from 'node:path';
import { Flags } from '@oclif/core';
import { EcomCommand } from '../base.ts';
import { boundHeapGrowth } from '../heap.ts';
import { countsOf, seedFlags } from '../flags.ts';

export default class Run extends EcomCommand<typeof Run> {
  static override summary = 'The whole pipeline: codegen → migrate → seed → verify → export-db → report.';
  static override description =
    'What `npm start` runs. Uses the PostgreSQL in DATABASE_URL, or the embedded PGlite in .ecom/pglite when it is unset. Takes the seed flags.';
  static override examples = [
    { description: 'The default model on PGlite', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Seed 7, ten times the rows, into PostgreSQL',
      command: 'DATABASE_URL=postgresql://localhost/shop <%= config.bin %> <%= command.id %> --seed 7 --scale 10',
    },
  ];
  static override flags = {
    model: EcomCommand.modelFlag,
    ...seedFlags,
    'accept-data-loss': Flags.boolean({
      summary: 'Let the migrate step drop columns, tables or data (as `ecom migrate`).',
      default: false,
    }),
  };

  async run() {
    boundHeapGrowth(); // it seeds and verifies, as those commands do
    const { codegen, SCHEMA_FILE } = await import('../../codegen/codegen.ts');
    const { connect } = await import('../../db/connect.ts');
    const { migrate, migrationsDirOf } = await import('../../db/migrate.ts');
    const { describePlan } = await import('../../model/plan.ts');
    const { exportDatabase } = await import('../../db/dump.ts');
    const { DUMP_FILE } = await import('../../seed/manifest.ts');
    const { plannedCounts } = await import('../../seed/seed.ts');
    const { verificationError, verify } = await import('../../seed/verify.ts');
    const { recordVerification } = await import('../../seed/verify/record.ts');
    const { writeReport } = await import('../../report/write.ts');
    const { summaryTable } = await import('../progress.ts');
    const { seedStep } = await import('../seed-step.ts');
    const { out } = this.flags;
    const started = performance.now();
    let lapStart = started;
    const lap = () => {
      const s = ((performance.now() - lapStart) / 1000).toFixed(2);
      lapStart = performance.now();
      return `${s} s`;
    };
    const model = await this.loadModel();
    const counts = plannedCounts(model, this.flags.scale, countsOf(this.flags.count));
    const migrationsDir = migrationsDirOf(model.name);
    this.log(describePlan(model));
    const gen = codegen(model, { root: process.cwd(), modelFile: this.flags.model });
    this.log(`\n1/6 codegen   ${gen.files.filter((f) => f.status !== 'unchanged').length} files written, client ${gen.client} (${lap()})`);
    const db = await connect();
    try {
      const mig = await migrate(db, {
        schemaFile: SCHEMA_FILE,
        migrationsDir,
        acceptDataLoss: this.flags['accept-data-loss'],
      });
      this.log(`2/6 migrate   ${db.label}: ${mig.created ? `created ${mig.created.name}, ` : ''}${mig.applied.length} applied (${lap()})`);
      const { tables } = await seedStep(db, model, {
        seed: this.flags.seed,
        counts,
        out,
        workers: this.flags.workers,
        quiet: this.jsonEnabled(),
      });
      this.log(`3/6 seed      ${tables.reduce((a, r) => a + r.rows, 0)} rows (${lap()})`);
      const report = await verify(db, model, out);
      recordVerification(out, report);
      this.log(`4/6 verify    ${report.checks} checks, ${report.violations.length} violations (${lap()})`);
      if (report.violations.length > 0) throw verificationError(report);
      if (model.tables.some((t) => t.inPostgres)) {
        const dump = await exportDatabase(db, model, join(out, DUMP_FILE));
        this.log(`5/6 export-db ${join(out, DUMP_FILE)}, ${(dump.bytes / 1024).toFixed(0)} KiB (${lap()})`);
      } else this.log(`5/6 export-db skipped: no table of "${model.name}" lives in PostgreSQL (${lap()})`);
      const page = await writeReport(db, model, { out, verified: report });
      this.log(`6/6 report    ${page.file}, ${(page.bytes / 1024).toFixed(0)} KiB (${lap()})`);
      const seconds = (performance.now() - started) / 1000;
      this.log(`\n${summaryTable(tables)}\n\nDone in ${seconds.toFixed(2)} s. Files in ${out}/; data in ${db.label}.`);
      return { database: db.label, out, seconds, tables, checks: report.checks, report: page.file };
    } finally {
      await db.close();
    }
  }
}
