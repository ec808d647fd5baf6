import { EcomCommand } from '../base.ts';
import { outFlag } from '../flags.ts';

export default class Report extends EcomCommand<typeof Report> {
  static override summary = 'Write an HTML report of the seeded data: ER diagram, row counts, column profiles, verify results.';
  static override description =
    'Writes DIR/report.html (one self-contained page that works offline: open it in a browser, or `ecom serve` shows it at /report). PostgreSQL tables are profiled with SQL and file-only tables by streaming their files, so memory stays bounded on large seeds. Shows the result of the last `ecom verify` of this data. With --json, prints the same figures.';
  static override examples = [
    { description: 'Report of exports/ and the database', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The figures as JSON, for scripts', command: '<%= config.bin %> <%= command.id %> --json' },
    { description: 'Another model and folder', command: '<%= config.bin %> <%= command.id %> --model shop.json --out out/shop' },
  ];
  static override flags = { model: EcomCommand.modelFlag, out: outFlag };

  async run() {
    const { writeReport } = await import('../../report/write.ts');
    const model = await this.loadModel();
    const db = await this.connectMigrated(model);
    try {
      const { report, file, bytes } = await writeReport(db, model, {
        out: this.flags.out,
        onTable: this.jsonEnabled() ? undefined : (table, rows, seconds) => process.stderr.write(reportLine(table, rows, seconds)),
      });
      this.log(`${file}, ${(bytes / 1024).toFixed(0)} KiB: ${report.tables.length} tables, verify ${report.verify.status}`);
      return { file, ...report };
    } finally {
      await db?.close();
    }
  }
}

/** One progress line per table profiled. */
function reportLine(table: string, rows: Record<string, number>, seconds: number): string {
  const counts = Object.entries(rows)
    .map(([d, n]) => `${d} ${n}`)
    .join(', ');
  return `  ${table.padEnd(16)} ${counts}  ${seconds.toFixed(2)} s\n`;
}
