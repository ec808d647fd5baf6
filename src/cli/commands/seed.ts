import { EcomCommand } from '../base.ts';
import { countsOf, seedFlags } from '../flags.ts';

export default class Seed extends EcomCommand<typeof Seed> {
  static override summary = 'Fill every table with realistic, deterministic data.';
  static override description =
    'Generates every table once, batch by batch, into PostgreSQL (one transaction, COPY) and CSV/JSON files (published only after COMMIT). Any failure leaves the database and the exports as they were. The same model and --seed give byte-identical output.';
  static override examples = [
    { description: 'Seed with seed 7', command: '<%= config.bin %> <%= command.id %> --seed 7' },
    { description: '100× the model counts, 5,000 users', command: '<%= config.bin %> <%= command.id %> --scale 100 --count users=5000' },
    { description: 'Machine-readable summary, no progress', command: '<%= config.bin %> <%= command.id %> --json' },
  ];
  static override flags = { model: EcomCommand.modelFlag, ...seedFlags };

  async run() {
    const { connect } = await import('../../db/connect.ts');
    const { plannedCounts } = await import('../../seed/seed.ts');
    const { seedStep } = await import('../seed-step.ts');
    const { summaryTable } = await import('../progress.ts');
    const model = await this.loadModel();
    const counts = plannedCounts(model, this.flags.scale, countsOf(this.flags.count));
    const db = model.tables.some((t) => t.inPostgres) ? await connect() : undefined;
    try {
      const tables = await seedStep(db, model, { seed: this.flags.seed, counts, out: this.flags.out, quiet: this.jsonEnabled() });
      this.log(`\nSeeded ${db?.label ?? '(no database)'} and ${this.flags.out}/\n${summaryTable(tables)}`);
      return { database: db?.label ?? null, out: this.flags.out, tables };
    } finally {
      await db?.close();
    }
  }
}
