import { codegen, SCHEMA_FILE } from '../../codegen/codegen.ts';
import { connect } from '../../db/connect.ts';
import { dumpTablesOf, exportDatabase } from '../../db/dump.ts';
import { migrate, MIGRATIONS_DIR } from '../../db/migrate.ts';
import { describePlan } from '../../model/plan.ts';
import { verificationError, verify } from '../../seed/verify.ts';
import { loadModel } from '../../model/load.ts';
import { EcomCommand } from '../base.ts';
import { seedFlags } from '../flags.ts';
import { summaryTable } from '../progress.ts';
import { countsFromFlags, seedStep } from '../seed-step.ts';

export default class Run extends EcomCommand {
  static override description = 'The whole pipeline: codegen → migrate → seed → verify → export-db';
  static override examples = ['<%= config.bin %> run', '<%= config.bin %> run --seed 7 --scale 10'];
  static override flags = { model: EcomCommand.modelFlag, ...seedFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Run);
    this.verbose = flags.verbose;
    const started = performance.now();
    const say = (s: string) => (flags.json ? undefined : this.log(s));
    const lap = (() => {
      let t = performance.now();
      return () => {
        const s = ((performance.now() - t) / 1000).toFixed(2);
        t = performance.now();
        return `${s} s`;
      };
    })();
    const model = loadModel(flags.model);
    const counts = countsFromFlags(model, flags);
    say(describePlan(model));
    const gen = codegen(model, { root: process.cwd(), modelFile: flags.model });
    say(`\n1/5 codegen   ${gen.files.filter((f) => f.status !== 'unchanged').length} files written, client ${gen.client} (${lap()})`);
    const db = await connect();
    try {
      const mig = await migrate(db, { schemaFile: SCHEMA_FILE, migrationsDir: MIGRATIONS_DIR });
      say(`2/5 migrate   ${db.label}: ${mig.created ? `created ${mig.created.name}, ` : ''}${mig.applied.length} applied (${lap()})`);
      const summary = await seedStep(db, model, flags, counts);
      say(`3/5 seed      ${summary.reduce((a, r) => a + r.rows, 0)} rows (${lap()})`);
      const report = await verify(db, model, flags.out);
      say(`4/5 verify    ${report.checks} checks, ${report.violations.length} violations (${lap()})`);
      if (report.violations.length > 0) throw verificationError(report);
      const dump = await exportDatabase(db, dumpTablesOf(model), `${flags.out}/database_dump.sql`);
      say(`5/5 export-db ${flags.out}/database_dump.sql, ${(dump.bytes / 1024).toFixed(0)} KiB (${lap()})`);
      const seconds = (performance.now() - started) / 1000;
      if (flags.json)
        this.log(JSON.stringify({ database: db.label, out: flags.out, seconds, tables: summary, checks: report.checks }, null, 2));
      else this.log(`\n${summaryTable(summary)}\n\nDone in ${seconds.toFixed(2)} s. Files in ${flags.out}/; data in ${db.label}.`);
    } finally {
      await db.close();
    }
  }
}
