import { connect } from '../../db/connect.ts';
import { loadModel } from '../../model/load.ts';
import { EcomCommand } from '../base.ts';
import { seedFlags } from '../flags.ts';
import { summaryTable } from '../progress.ts';
import { countsFromFlags, seedStep } from '../seed-step.ts';

export default class Seed extends EcomCommand {
  static override description = 'Fill every table with realistic, deterministic data: PostgreSQL (one transaction), CSV and JSON';
  static override examples = ['<%= config.bin %> seed --seed 7', '<%= config.bin %> seed --scale 100 --count users=5000'];
  static override flags = { model: EcomCommand.modelFlag, ...seedFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Seed);
    this.verbose = flags.verbose;
    const model = loadModel(flags.model);
    const counts = countsFromFlags(model, flags);
    const db = model.tables.some((t) => t.inPostgres) ? await connect() : undefined;
    try {
      const summary = await seedStep(db, model, flags, counts);
      if (flags.json) this.log(JSON.stringify({ database: db?.label ?? null, out: flags.out, tables: summary }, null, 2));
      else this.log(`\nSeeded ${db?.label ?? '(no database)'} and ${flags.out}/\n${summaryTable(summary)}`);
    } finally {
      await db?.close();
    }
  }
}
