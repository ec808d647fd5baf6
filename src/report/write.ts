import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { buildReport, type BuildOptions } from './build.ts';
import { layoutDiagram } from './diagram.ts';
import { renderPage } from './page.ts';
import type { Report } from './types.ts';
import { REPORT_FILE } from '../seed/manifest.ts';

/** The report page, in the exports folder beside the files it describes. */
export { REPORT_FILE };

/** Builds the report of `options.out` and writes it to `<out>/report.html` in one rename: never half a page. */
export async function writeReport(
  db: Database | undefined,
  model: ResolvedModel,
  options: BuildOptions,
): Promise<{ report: Report; file: string; bytes: number }> {
  const report = await buildReport(db, model, options);
  const page = renderPage(report, await layoutDiagram(report.tables));
  const file = join(options.out, REPORT_FILE);
  const scratch = `${file}.${process.pid}`;
  mkdirSync(options.out, { recursive: true });
  try {
    writeFileSync(scratch, page);
    renameSync(scratch, file);
  } finally {
    rmSync(scratch, { force: true });
  }
  return { report, file, bytes: Buffer.byteLength(page) };
}
